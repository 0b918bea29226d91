"""The trading desk (/trade): pages for district sellers and buyers."""
