"""The benchmark behind ``make bench``: a data generator (``generate``) and a runner (``run``)."""
