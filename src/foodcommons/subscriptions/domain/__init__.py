"""Pure rules of subscriptions: what a change is, how a digest is grouped, in which language it reads."""
