"""Read side of vnsearch: query building, facets, highlighting, the search facade, the CLI."""
