"""The case pipeline: stages and actions as data, the services that change a case, its history, deadlines, search, the board's queries and what may be shown in public."""
