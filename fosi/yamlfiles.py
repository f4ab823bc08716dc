"""YAML that users write (sidecars, request.yml, parameter files), read one safe way.

A base module: every stage may use it.
"""

from __future__ import annotations


def yaml_without_aliases(text: str) -> object:
    """YAML as yaml.safe_load reads it, refusing aliases (``*name``): a few nested ones make a
    300-byte file gigabytes once expanded (a "billion laughs"), and no file a user writes for fosi needs one. The
    refusal is a yaml.YAMLError naming the line, as any other YAML problem. Dates are read as
    text: fosi checks them itself, so a day that does not exist (2023-04-31) is a one-line error
    naming the field, not a traceback from PyYAML."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                raise yaml.composer.ComposerError(None, None, "an alias (*name), which fosi does not expand: "
                                                              "write the value out", self.peek_event().start_mark)
            return super().compose_node(parent, index)

    Loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader, without aliases
