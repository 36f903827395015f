"""Evidence's pages: the import page, where a person brings a tool's export into a map."""
