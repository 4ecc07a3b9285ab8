"""Audiences: what each one gets and which targets a selection of options stands for."""
