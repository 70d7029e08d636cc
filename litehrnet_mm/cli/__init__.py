"""What the command-line tools (``tools/``, the projects' tools) share:
argument types, run arguments, progress display, start-up and timing.
Each tool imports the module it needs."""
