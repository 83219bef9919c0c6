"""Hidden suite of projeto_final: the build_model contract and evaluate_predictions (shared with
a6_cnn_keras), and the metrics recomputed here from the predictions file handed in with the
notebook (the student's data is not on the grading machine; see docs/grading.md)."""
import pytest
from dlhelpers.predictions import PredictionsFileError, describe_summary, prediction_summary

from autograder.authoring.profiles import load_profile
from autograder.grading.grader import NOTE
from autograder.grading.suites.keras_checks import TestBuildModel, TestEvaluatePredictions  # noqa: F401 - collected here

(PREDICTIONS_FILE,) = load_profile("projeto_final").handed_in
MARGIN = 0.02  # above chance by at least this much


@pytest.fixture(scope="module")
def summary(attachments_dir):
    """The metrics of the handed-in predictions, recomputed in this trusted process."""
    try:
        return prediction_summary(attachments_dir / PREDICTIONS_FILE)
    except PredictionsFileError as error:
        raise AssertionError(str(error)) from None


@pytest.mark.grade("predicoes_teste")
class TestSavedPredictions:
    def test_file_is_readable(self, summary, record_property):
        """O arquivo de previsões foi entregue e é legível"""
        # The recomputed metrics, shown under this verdict even when it passes: the instructor
        # compares them with what the notebook's text and outputs claim.
        record_property(NOTE, "Métricas recalculadas do arquivo entregue:\n" + describe_summary(summary))
        assert len(summary["classes"]) >= 2, (
            f"o teste de {PREDICTIONS_FILE} tem uma classe só ({summary['classes']}): um teste estratificado "
            "deve ter exemplos de todas as classes")

    def test_beats_the_majority_class(self, summary):
        """Acurácia acima de sempre responder a classe mais comum"""
        assert summary["accuracy"] >= summary["majority_accuracy"] + MARGIN, (
            f"acurácia {summary['accuracy']:.3f}; sempre responder a classe mais comum do seu teste dá "
            f"{summary['majority_accuracy']:.3f}. O modelo ainda não aprendeu a separar as classes")

    def test_balanced_accuracy_beats_chance(self, summary):
        """Acurácia balanceada acima do acaso (todas as classes contam igual)"""
        chance = 1.0 / len(summary["classes"])
        assert summary["balanced_accuracy"] >= chance + MARGIN, (
            f"acurácia balanceada {summary['balanced_accuracy']:.3f}, no nível do acaso ({chance:.3f}): o modelo "
            "acerta só a classe mais comum. Pesos de classe ou mais épocas costumam ajudar")
