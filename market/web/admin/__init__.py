"""The administration pages (/admin): accounts and users."""
