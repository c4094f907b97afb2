// DumpFormat module.
