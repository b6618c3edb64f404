import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reading passphrases without ever holding them in a Swift `String`, argv or the environment.
///
/// From a file descriptor (`--passphrase-fd N`): one line per passphrase, read a byte at a time so that
/// nothing past the newline is consumed. From the terminal: `/dev/tty` with echo turned off.
enum PassphraseReader {
  static let maximumByteCount = 1024

  /// Where passphrases come from for this command.
  enum Source {
    case descriptor(Int32)
    case terminal
  }

  /// Reads one passphrase. `prompt` is shown on the terminal only.
  static func read(from source: Source, prompt: String) throws(VaultError) -> SecretBytes {
    switch source {
    case .descriptor(let descriptor):
      return try readLine(descriptor: descriptor, what: "file descriptor \(descriptor)")
    case .terminal:
      let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
      guard tty >= 0 else {
        throw VaultError(
          .invalidInput, "There is no terminal to ask for the passphrase on.",
          hint: "In scripts, give it on a file descriptor: --passphrase-fd 3 3<passphrase-file")
      }
      defer { close(tty) }
      _ = prompt.withCString { Glibc.write(tty, $0, strlen($0)) }
      var saved = termios()
      let canSilence = tcgetattr(tty, &saved) == 0
      if canSilence {
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        EchoRestorer.arm(tty: tty, saved: saved)
        tcsetattr(tty, TCSAFLUSH, &silent)
      }
      defer {
        if canSilence {
          tcsetattr(tty, TCSAFLUSH, &saved)
          EchoRestorer.disarm()
        }
      }
      return try readLine(descriptor: tty, what: "the terminal")
    }
  }

  /// Reads bytes up to a newline (or end of input) straight into guarded memory.
  private static func readLine(descriptor: Int32, what: String) throws(VaultError) -> SecretBytes {
    let buffer = SecretBytes(zeroedByteCount: maximumByteCount)
    var count = 0
    var sawAnything = false
    let failure: VaultError? = buffer.withUnsafeMutableBytes { bytes -> VaultError? in
      var byte: UInt8 = 0
      while true {
        let got = Glibc.read(descriptor, &byte, 1)
        if got < 0 {
          if errno == EINTR { continue }
          return VaultError(
            .invalidInput, "Could not read the passphrase from \(what): \(String(cString: strerror(errno))).")
        }
        if got == 0 { break }
        sawAnything = true
        if byte == 0x0a { break }
        guard count < maximumByteCount else {
          return VaultError(.invalidInput, "The passphrase is longer than \(maximumByteCount) bytes.")
        }
        bytes[count] = byte
        count += 1
      }
      if count > 0, bytes[count - 1] == 0x0d { count -= 1 }  // a line ending from Windows
      byte = 0
      return nil
    }
    if let failure { throw failure }
    guard sawAnything else {
      throw VaultError(.invalidInput, "No passphrase was given on \(what).")
    }
    return buffer.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
  }
}

/// Turns echo back on if the person presses Ctrl-C (or the terminal closes) at a passphrase prompt, so the
/// terminal is never left showing nothing of what is typed.
private enum EchoRestorer {
  nonisolated(unsafe) static var tty: Int32 = -1
  nonisolated(unsafe) static var saved = termios()

  static func arm(tty: Int32, saved: termios) {
    Self.saved = saved
    Self.tty = tty
    for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      signal(signalNumber) { received in
        // Only async-signal-safe calls here: tcsetattr, write, _exit.
        if EchoRestorer.tty >= 0 { tcsetattr(EchoRestorer.tty, TCSANOW, &EchoRestorer.saved) }
        _ = Glibc.write(STDERR_FILENO, "\n", 1)
        _exit(128 + received)
      }
    }
  }

  static func disarm() {
    tty = -1
    for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(signalNumber, SIG_DFL) }
  }
}
