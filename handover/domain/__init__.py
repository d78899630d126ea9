"""Domain values and rules of the counter: nothing here touches a database or a screen."""
