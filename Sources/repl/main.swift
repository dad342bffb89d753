// Entry point of `repl`: see ReplCommand.
ReplCommand.main()
