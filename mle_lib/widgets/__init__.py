"""Interactive widgets for the chapters (imports ipywidgets and matplotlib: never loaded by ``import mle_lib``).

Each widget is an :class:`~mle_lib.widgets._base.Explorer`: controls, a readout and a figure, over one
pure function of :mod:`mle_lib.views`.  Use them in JupyterLab::

    from mle_lib import widgets
    w = widgets.coin_explorer()
    w                      # the live widget (a picture of its starting state elsewhere)
    w.set(theta=0.3)       # move a control from code; returns the readout text

One module per chapter (``ch01`` … ``ch09``); every public name is re-exported here.
"""

from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09
from ._base import DPI, Explorer
from .ch01 import *  # noqa: F403
from .ch02 import *  # noqa: F403
from .ch03 import *  # noqa: F403
from .ch04 import *  # noqa: F403
from .ch05 import *  # noqa: F403
from .ch06 import *  # noqa: F403
from .ch07 import *  # noqa: F403
from .ch08 import *  # noqa: F403
from .ch09 import *  # noqa: F403

__all__ = [
    "DPI",
    "Explorer",
    *ch01.__all__,
    *ch02.__all__,
    *ch03.__all__,
    *ch04.__all__,
    *ch05.__all__,
    *ch06.__all__,
    *ch07.__all__,
    *ch08.__all__,
    *ch09.__all__,
]
