"""The applications on top of the library: the ``microgradnn`` command (``cli``), the
lecture demo (``demo``), handwritten digits (``digits``) and the expression parser of
``microgradnn graph`` (``expr``)."""
