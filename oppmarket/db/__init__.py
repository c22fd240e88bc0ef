"""The database layer: connection, models and schema. Only this package and
`oppmarket.market` touch Peewee."""
