# delivery tests
