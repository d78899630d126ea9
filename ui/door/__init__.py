"""The door: the agent d'accueil issues queue tickets before anyone waits (issue #16)."""
