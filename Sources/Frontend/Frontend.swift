// Frontend module.
