import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Crash-safe file operations on POSIX descriptors: every byte written is on disk before we say so.
///
/// Foundation's atomic write renames but does not fsync the folder on Linux, so a crash right after it can
/// lose the rename. These helpers do the whole dance: write a temporary file in the same folder, fsync it,
/// rename it over the target, fsync the folder. Files are made 0600 and folders 0700 regardless of the umask.
enum DurableFiles {
  static let fileMode: mode_t = 0o600
  static let folderMode: mode_t = 0o700
  /// Part of every temporary file's name, so leftovers of a crash can be found and reported.
  static let temporaryMarker = ".tmp-"

  /// Makes `url` and any missing parents as private folders (0700); an existing folder is left as it is.
  static func makeFolder(_ url: URL) throws(VaultError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw VaultError(.notAVault, "\(url.path) is a file, not a folder.")
      }
      return
    }
    let parent = url.deletingLastPathComponent()
    if parent.path != url.path { try makeFolder(parent) }
    guard mkdir(url.path, folderMode) == 0 || errno == EEXIST else {
      throw .fileSystem("create the folder", url.path, errno: errno)
    }
    chmod(url.path, folderMode)
    try syncFolder(parent)
  }

  /// Replaces (or creates) the file at `url` with `bytes`, crash-safely.
  static func replace(_ url: URL, with bytes: [UInt8]) throws(VaultError) {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(
      ".\(url.lastPathComponent)\(temporaryMarker)\(ProcessInfo.processInfo.processIdentifier)")
    try writeFile(temporary, bytes, flags: O_TRUNC)
    guard rename(temporary.path, url.path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw .fileSystem("replace", url.path, errno: code)
    }
    try syncFolder(folder)
  }

  /// Creates a new file at `url` holding `bytes`, crash-safely; fails rather than replace an existing file.
  static func create(_ url: URL, with bytes: [UInt8]) throws(VaultError) {
    try writeFile(url, bytes, flags: O_EXCL)
    try syncFolder(url.deletingLastPathComponent())
  }

  /// Like `replace`, but a file already at `url` is never replaced: the whole file appears at once (a hard
  /// link of the written temporary file), or `alreadyThere` is thrown and nothing changed.
  static func createWhole(_ url: URL, with bytes: [UInt8], alreadyThere: VaultError) throws(VaultError) {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(
      ".\(url.lastPathComponent)\(temporaryMarker)\(ProcessInfo.processInfo.processIdentifier)")
    try writeFile(temporary, bytes, flags: O_TRUNC)
    defer { unlink(temporary.path) }
    guard link(temporary.path, url.path) == 0 else {
      let code = errno
      throw code == EEXIST ? alreadyThere : .fileSystem("create", url.path, errno: code)
    }
    try syncFolder(folder)
  }

  /// Writes `bytes` to a file opened with `O_CREAT | flags` and fsyncs it; on failure the file is removed
  /// (it never held anything acknowledged).
  private static func writeFile(_ url: URL, _ bytes: [UInt8], flags: Int32) throws(VaultError) {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, fileMode)
    guard descriptor >= 0 else { throw .fileSystem("create", url.path, errno: errno) }
    do {
      fchmod(descriptor, fileMode)
      try writeAll(descriptor, bytes, path: url.path)
      try sync(descriptor, path: url.path)
      close(descriptor)
    } catch {
      close(descriptor)
      unlink(url.path)
      throw error
    }
  }

  /// Writes every byte of `bytes`, retrying short writes and interrupted calls.
  static func writeAll(_ descriptor: Int32, _ bytes: some ContiguousBytes, path: String) throws(VaultError) {
    let failure: Int32? = bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return nil }  // nothing to write
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
    if let failure { throw .fileSystem("write", path, errno: failure) }
  }

  /// fsync, with the failure named.
  static func sync(_ descriptor: Int32, path: String) throws(VaultError) {
    guard fsync(descriptor) == 0 else { throw .fileSystem("save (fsync)", path, errno: errno) }
  }

  /// fsync of a folder, so that a rename or a new file in it survives a crash.
  static func syncFolder(_ folder: URL) throws(VaultError) {
    let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("open the folder", folder.path, errno: errno) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw .fileSystem("save (fsync) the folder", folder.path, errno: errno) }
  }

  /// Reads a whole file, refusing one larger than `limit` bytes.
  static func read(_ url: URL, limit: Int) throws(VaultError) -> [UInt8] {
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("read", url.path, errno: errno) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw .fileSystem("read", url.path, errno: errno) }
    let size = Int(info.st_size)
    guard size <= limit else {
      throw VaultError(.fileSystem, "\(url.path) is larger (\(size) bytes) than such a file can be (\(limit) bytes).")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var offset = 0
    while offset < size {
      let count = bytes.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress.map { $0 + offset }, size - offset, off_t(offset))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .fileSystem("read", url.path, errno: errno)
      }
      if count == 0 { break }
      offset += count
    }
    return Array(bytes[..<offset])
  }

  /// Reads the bytes in `range` of a file; fewer if the file ends before.
  static func read(_ url: URL, range: Range<Int>) throws(VaultError) -> [UInt8] {
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("read", url.path, errno: errno) }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: range.count)
    var done = 0
    while done < range.count {
      let count = bytes.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress.map { $0 + done }, range.count - done, off_t(range.lowerBound + done))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .fileSystem("read", url.path, errno: errno)
      }
      if count == 0 { break }
      done += count
    }
    if done < range.count { bytes.removeSubrange(done...) }
    return bytes
  }
}
