"""The 荣誉名录 page: honour lists by kind and year, their entries, import and matching."""
