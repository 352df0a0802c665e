"""Negotiation rounds (洽谈记录): the note editor and its commitments."""
