"""Run the per-article function over a stream: in-process, a local pool, or Dask."""
