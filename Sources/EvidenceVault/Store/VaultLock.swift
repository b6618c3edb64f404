import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive advisory lock (flock) on `<vault>/lock`, so two processes never work on a vault at once.
///
/// The lock goes away with the process, so a crash never leaves a vault locked.
final class VaultLock {
  private let descriptor: Int32

  /// Takes the lock, waiting up to `timeout` seconds for another process to let go.
  ///
  /// On a read-only disk the lock file is opened to read (flock works on that too), or, where there is none,
  /// no lock is taken: nothing can write to such a vault.
  init(folder: URL, timeout: Double) throws(VaultError) {
    let path = folder.appendingPathComponent("lock").path
    var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, DurableFiles.fileMode)
    if descriptor < 0 && errno == EROFS {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
      if descriptor < 0 && errno == ENOENT {
        self.descriptor = -1
        return
      }
    }
    guard descriptor >= 0 else { throw .fileSystem("open the lock file", path, errno: errno) }
    fchmod(descriptor, DurableFiles.fileMode)
    let deadline = Date().addingTimeInterval(timeout)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      guard code == EWOULDBLOCK || code == EINTR else {
        close(descriptor)
        throw .fileSystem("lock", path, errno: code)
      }
      guard Date() < deadline else {
        close(descriptor)
        throw VaultError(
          .busy, "The vault is busy: another evidence command is using it.",
          hint: "Wait for it to finish, then try again.")
      }
      usleep(50_000)
    }
    self.descriptor = descriptor
  }

  deinit {
    guard descriptor >= 0 else { return }
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
