"""pytest configuration shared by tests/ and the nbval run of notebooks/."""


def pytest_collectstart(collector):
    # nbval compares text/plain and text/html of checked cells. The text/plain table holds
    # every number; pandas' HTML markup changes between releases without any number changing.
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html",)
