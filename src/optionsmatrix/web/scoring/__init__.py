"""The scoring component: form parsing, the view, and its chart."""
