// Ctrl-C while a command runs: the SIGINT handler sets the interpreter's cancellation flag,
// which loaders and trainers poll; the command stops, the session lives on. (While a line
// is being edited, the line editor reads ^C as a key and clears the line instead.)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Frame

/// The flag the SIGINT handler sets. A C signal handler cannot capture context, so it is global;
/// CancellationFlag is an atomic, which a signal handler may store to.
let interruptFlag = CancellationFlag()

/// Routes SIGINT to `interruptFlag` instead of ending the process.
func installInterruptHandler() {
    var action = sigaction()
    #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = { _ in interruptFlag.cancel() }
    #else
    action.__sigaction_u.__sa_handler = { _ in interruptFlag.cancel() }
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
}
