"""Following a speaker: channels subscribe to a person (optionally on a topic) and are sent each
new sentence attributed to them once, as a threaded digest right after a refresh publishes an index.

`models` holds the records, `store` keeps them (a JSON file beside the index, or Redis),
`link` resolves a typed name to a speaker of the index, `digest` finds what is new for whom,
`publish` runs after a refresh (under a lock, so one process posts), `slack` renders and posts,
`cli` and `command` are the terminal and `/citebot` front ends.
"""
