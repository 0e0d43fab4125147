"""What both HTTP surfaces share: dependencies, middleware, error dispatch."""
