"""The Slack app: Bolt listeners over `bot.corpus.Corpus`, an HTTP server and a Socket Mode runner."""
