"""The restructuring workflow: domain services, the unit of work and the ORM mapping."""
