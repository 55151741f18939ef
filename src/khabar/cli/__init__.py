"""The ``khabar`` command line: one thin command per library module."""
