"""Request and response shapes shared by services and routes."""
