"""Web views of the inventory: lists, detail pages, forms, import/export, the service graph."""
