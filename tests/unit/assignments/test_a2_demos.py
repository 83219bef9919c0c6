"""The claims of a2_convolucao's audio demonstration (section 12, "Um som: frequências e um filtro
que tira o apito"): the notebook's own cell, run with the reference conv1d_forward, so the numbers
the prose states (about 60 dB less whistle with the 31-tap low-pass, the tone kept; about 24 dB
and 3 dB with the moving average) are those of the code the students run."""
import jupytext
import numpy as np
import pytest
from dlhelpers.worked_examples import as_filter_1d, as_sequence

from autograder.authoring.builder import authoring_file
from solutions import convolution as ref

AUDIO_MARKER = "sample_rate = 8000"


def _notebook():
    return jupytext.read(authoring_file("a2_convolucao"))


@pytest.fixture(scope="module")
def audio():
    cells = [cell.source for cell in _notebook().cells if cell.cell_type == "code"]
    namespace = {"np": np, "conv1d_forward": ref.conv1d_forward, "as_sequence": as_sequence,
                 "as_filter_1d": as_filter_1d}
    exec(next(source for source in cells if AUDIO_MARKER in source), namespace)  # noqa: S102
    return namespace


def _change_db(audio, name, frequency):
    amplitude_at = audio["amplitude_at"]
    return 20 * np.log10(amplitude_at(audio["filtered_sounds"][name], frequency)
                         / amplitude_at(audio["sound"], frequency))


def test_one_second_of_sound_with_the_stated_components(audio):
    sound, amplitude_at = audio["sound"], audio["amplitude_at"]
    assert sound.shape == (8000,)
    assert amplitude_at(sound, 220) == pytest.approx(0.5, abs=0.005)
    assert amplitude_at(sound, 2500) == pytest.approx(0.2, abs=0.005)


def test_filters_keep_the_length_and_the_low_pass_sums_to_one(audio):
    assert audio["low_pass"].shape == (31,)
    assert audio["low_pass"].sum() == pytest.approx(1.0)
    for result in audio["filtered_sounds"].values():
        assert result.shape == audio["sound"].shape


def test_the_low_pass_removes_about_60_db_of_whistle_and_keeps_the_tone(audio):
    assert -63 < _change_db(audio, "passa-baixa de 31", 2500) < -57   # "cerca de 60 dB", "uns 0,0002"
    assert abs(_change_db(audio, "passa-baixa de 31", 220)) < 0.1      # "menos de 0,1 dB"
    assert audio["amplitude_at"](audio["filtered_sounds"]["passa-baixa de 31"], 2500) == pytest.approx(
        0.0002, abs=0.00005)


def test_the_low_pass_also_removes_the_hiss_above_1000_hz(audio):
    spectrum = np.abs(np.fft.rfft(audio["filtered_sounds"]["passa-baixa de 31"]))
    original = np.abs(np.fft.rfft(audio["sound"]))
    high = np.arange(spectrum.size) > 1500
    high[2500] = False
    assert np.median(spectrum[high]) < 0.1 * np.median(original[high])  # at least 20 dB lower


def test_the_moving_average_is_a_cruder_low_pass(audio):
    assert -25 < _change_db(audio, "média móvel de 15", 2500) < -22   # "uns 24 dB", "cerca de 15 vezes"
    assert -3.5 < _change_db(audio, "média móvel de 15", 220) < -2     # "uns 3 dB"


def test_the_prose_states_these_figures():
    markdown = "\n".join(cell.source for cell in _notebook().cells if cell.cell_type == "markdown")
    for claim in ("cerca de **60 dB**", "menos de 0,1 dB", "uns 24 dB", "15 vezes menor", "uns 3 dB",
                  "de 0,2 para uns 0,0002"):
        assert claim in markdown, claim
