"""The numbers behind every interactive view of the course (light: numpy and scipy only).

Each chapter's widget (in :mod:`mle_lib.widgets`) is a thin layer over one *pure* function here:
given the values of the widget's controls, it returns a frozen dataclass holding everything the
figure draws and the text the readout shows (``.readout()``).  The functions are tested in pytest
without a browser or a kernel; the widget only passes control values in and draws what comes out.

One module per chapter: :mod:`~mle_lib.views.coins` (chapters 1–2), :mod:`~mle_lib.views.poisson` (3),
:mod:`~mle_lib.views.normal` (4), :mod:`~mle_lib.views.uniform` (5), :mod:`~mle_lib.views.hat` (6),
:mod:`~mle_lib.views.em1d` (7),
:mod:`~mle_lib.views.emnd` (8) and :mod:`~mle_lib.views.coins_em` (9).
"""
