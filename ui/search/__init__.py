"""The search palette (Ctrl+K): one box over enterprises, contacts, visits, notes, projects."""
