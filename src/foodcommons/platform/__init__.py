"""The composition root: what brings the apps together into a running instance (setup, serve, server-process warm-up).

It sits above every other app (see [tool.importlinter] in pyproject.toml): the apps below never import it.
"""
