"""Public helpers of the Deep Learning II notebooks.

This package travels with every released notebook (students import it on Colab, JupyterHub or a
laptop), so it holds nothing secret: input validation, visible checks, data loaders and plots.
"""

from dlhelpers.submit import ErroDeEnvio, enviar

__all__ = ["ErroDeEnvio", "enviar"]
