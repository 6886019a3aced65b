"""The outputs a build can make, in the order they are made (a leaf of the report package, so
the command line can name them without loading the renderer)."""

FORMATS = ("md", "html", "figures", "docx")
