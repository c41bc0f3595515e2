# Scheduling units, man pages and package recipes.
