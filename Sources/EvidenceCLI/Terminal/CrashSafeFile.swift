import EvidenceAge
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A new file written crash-safe: to a hidden temporary name in the same folder (mode 0600), synced, then given its
/// name without ever replacing a file that is there, and the folder synced. Until `commit()` nothing has the final
/// name; `abandon()` (or an interruption) removes the temporary file, so no partial plaintext is left behind.
final class CrashSafeFile {
  let target: URL
  let temporary: URL
  let descriptor: Int32
  private var done = false

  /// Creates the temporary file next to `target`; refuses when `target` exists.
  init(creating target: URL) throws(CommandFailure) {
    self.target = target
    guard !FileManager.default.fileExists(atPath: target.path) else {
      throw CommandFailure(
        message: "\(target.path) already exists; it was not changed.",
        hint: "Choose another name with --out, or move the existing file away first.")
    }
    let folder = target.deletingLastPathComponent()
    temporary = folder.appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
    // O_EXCL: never reuse or follow anything that is already there; 0600: readable by the owner only.
    descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else {
      throw CommandFailure(
        message: "Could not create a file in \(folder.path): \(String(cString: strerror(errno))).",
        hint: "Check that the folder exists and that you may write there.", exitCode: 5)
    }
  }

  deinit {
    if !done { abandon() }
  }

  /// Where age output goes.
  var output: AgeFileDescriptorOutput { AgeFileDescriptorOutput(fileDescriptor: descriptor) }

  /// Syncs the file, gives it its name (refusing to replace anything) and syncs the folder.
  func commit() throws(CommandFailure) {
    precondition(!done)
    // fsync: 0 on success, -1 with errno (EIO, ENOSPC…) when the data could not be made durable.
    guard fsync(descriptor) == 0 else { throw failure("write") }
    close(descriptor)
    // link(2) fails with EEXIST when the name is taken: unlike rename(2), it can never replace a file.
    guard link(temporary.path, target.path) == 0 else {
      let code = errno
      abandon()
      if code == EEXIST {
        throw CommandFailure(message: "\(target.path) appeared meanwhile; it was not changed.", exitCode: 5)
      }
      throw CommandFailure(message: "Could not name \(target.path): \(String(cString: strerror(code))).", exitCode: 5)
    }
    unlink(temporary.path)
    done = true
    let folder = open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folder >= 0 {
      _ = fsync(folder)
      close(folder)
    }
  }

  /// Removes the temporary file.
  func abandon() {
    guard !done else { return }
    done = true
    close(descriptor)
    unlink(temporary.path)
  }

  private func failure(_ action: String) -> CommandFailure {
    let code = errno
    abandon()
    return CommandFailure(
      message: "Could not \(action) \(target.path): \(String(cString: strerror(code))). Nothing was left behind.",
      exitCode: 5)
  }
}

/// AgeError → what the CLI prints and its exit code (the same meanings as the vault's: 1 damaged, 2 input,
/// 3 wrong key or passphrase, 5 file system).
extension CommandFailure {
  init(_ failure: AgeError) {
    let exitCode: Int32 =
      switch failure.code {
      case .headerInvalid, .headerAuthenticationFailed, .payloadInvalid, .armorInvalid: 1
      case .limitExceeded, .keyInvalid, .recipientsInvalid: 2
      case .noMatchingIdentity: 3
      case .fileSystem: 5
      }
    self.init(message: failure.message, hint: failure.hint, exitCode: exitCode)
  }
}
