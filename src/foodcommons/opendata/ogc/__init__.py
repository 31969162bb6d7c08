"""OGC API – Features (Part 1 Core, Part 3 Filtering with CQL2 text), free of the web framework."""
