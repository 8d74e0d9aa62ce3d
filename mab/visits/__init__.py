"""What each member last saw, so pages can say what is new since their last visit."""
