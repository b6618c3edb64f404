import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Copying the vault's files into a backup and back, in chunks of 1 MiB: a 2 GiB exhibit needs no more memory than
/// a note. Every copy is durable before it counts (fsync of the file, and of its folder after a rename).
enum BackupFiles {
  /// How much is read and written per system call.
  static let chunkByteCount = 1 << 20

  /// The bytes of `source` in `range`, appended at `offset` of `destination` (which is cut to `offset` first),
  /// fsynced; returns the SHA-256 of the bytes copied.
  static func append(
    from source: URL, range: Range<Int>, to destination: URL, at offset: Int, progress: (Int64) -> Void
  ) throws(VaultError) -> [UInt8] {
    let output = open(destination.path, O_WRONLY | O_CREAT | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .fileSystem("write", destination.path, errno: errno) }
    defer { close(output) }
    fchmod(output, DurableFiles.fileMode)
    guard ftruncate(output, off_t(offset)) == 0, lseek(output, off_t(offset), SEEK_SET) >= 0 else {
      throw .fileSystem("write", destination.path, errno: errno)
    }
    do throws(VaultError) {
      let digest = try stream(from: source, range: range, progress: progress) { (chunk) throws(VaultError) in
        try DurableFiles.writeAll(output, UnsafeRawBufferPointerBytes(chunk), path: destination.path)
      }
      try DurableFiles.sync(output, path: destination.path)
      return digest
    } catch {
      // No half-written tail stays to take up the disk's space (it would never count as part of the backup).
      _ = ftruncate(output, off_t(offset))
      _ = fsync(output)
      throw error
    }
  }

  /// Cuts the file at `url` to `length` bytes, durably, where it is longer; failures are ignored (what is past
  /// `length` is never part of a backup).
  static func cut(_ url: URL, to length: Int) {
    let descriptor = open(url.path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    _ = ftruncate(descriptor, off_t(length))
    _ = fsync(descriptor)
  }

  /// Copies the whole of `source` to `destination`, crash-safely: a temporary file beside it, fsync, rename,
  /// fsync of the folder. Returns the SHA-256 and length of what was copied.
  @discardableResult
  static func copyWhole(
    _ source: URL, to destination: URL, progress: (Int64) -> Void = { _ in }
  ) throws(VaultError) -> (sha256: [UInt8], byteCount: Int64) {
    let folder = destination.deletingLastPathComponent()
    try DurableFiles.makeFolder(folder)
    let temporary = folder.appendingPathComponent(
      ".\(destination.lastPathComponent)\(DurableFiles.temporaryMarker)\(getpid())")
    let output = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .fileSystem("create", temporary.path, errno: errno) }
    var renamed = false
    defer {
      close(output)
      if !renamed { unlink(temporary.path) }
    }
    fchmod(output, DurableFiles.fileMode)
    var byteCount: Int64 = 0
    let digest = try stream(from: source, range: nil, progress: progress) { (chunk) throws(VaultError) in
      try DurableFiles.writeAll(output, UnsafeRawBufferPointerBytes(chunk), path: temporary.path)
      byteCount += Int64(chunk.count)
    }
    try DurableFiles.sync(output, path: temporary.path)
    guard rename(temporary.path, destination.path) == 0 else {
      throw .fileSystem("write", destination.path, errno: errno)
    }
    renamed = true
    try DurableFiles.syncFolder(folder)
    return (digest, byteCount)
  }

  /// SHA-256 of the bytes of `url` in `range` (the whole file when nil), read in chunks.
  static func sha256(of url: URL, range: Range<Int>? = nil) throws(VaultError) -> [UInt8] {
    try stream(from: url, range: range, progress: { _ in }, into: { _ throws(VaultError) in })
  }

  /// Reads `range` of `source` (the whole file when nil) chunk by chunk into `sink`; returns the bytes' SHA-256.
  /// - Throws: `fileSystem` when the file cannot be read or ends before `range` does.
  static func stream(
    from source: URL, range: Range<Int>?, progress: (Int64) -> Void,
    into sink: (UnsafeRawBufferPointer) throws(VaultError) -> Void
  ) throws(VaultError) -> [UInt8] {
    let input = open(source.path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw .fileSystem("read", source.path, errno: errno) }
    defer { close(input) }
    var offset = range?.lowerBound ?? 0
    let end = range?.upperBound
    let hasher = FastSHA256()
    var buffer = [UInt8](repeating: 0, count: chunkByteCount)
    while end.map({ offset < $0 }) ?? true {
      let wanted = min(chunkByteCount, end.map { $0 - offset } ?? chunkByteCount)
      let count = buffer.withUnsafeMutableBytes { bytes in pread(input, bytes.baseAddress, wanted, off_t(offset)) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .fileSystem("read", source.path, errno: errno)
      }
      if count == 0 {
        guard end == nil else { throw VaultError(.fileSystem, "\(source.path) became shorter while it was copied.") }
        break
      }
      let failure: VaultError? = buffer.withUnsafeBytes { bytes in
        let chunk = UnsafeRawBufferPointer(rebasing: bytes[..<count])
        hasher.update(chunk)
        do throws(VaultError) {
          try sink(chunk)
          return nil
        } catch {
          return error
        }
      }
      if let failure { throw failure }
      offset += count
      progress(Int64(count))
    }
    return hasher.finish()
  }

  /// The length of the file at `url`, or nil when there is none.
  static func size(of url: URL) -> Int64? {
    var info = stat()
    guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    return Int64(info.st_size)
  }

  /// The bytes free for us on the disk that holds `folder`, or nil when that cannot be told.
  static func freeByteCount(_ folder: URL) -> Int64? {
    var info = statvfs()
    guard statvfs(folder.path, &info) == 0 else { return nil }
    return Int64(info.f_bavail) * Int64(info.f_frsize)
  }

  /// Removes a folder and everything below it, without following symbolic links; a missing one is no failure.
  static func removeTree(_ folder: URL) throws(VaultError) {
    var info = stat()
    guard lstat(folder.path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
        try removeTree(folder.appendingPathComponent(name))
      }
      guard rmdir(folder.path) == 0 || errno == ENOENT else { throw .fileSystem("remove", folder.path, errno: errno) }
    } else {
      guard unlink(folder.path) == 0 || errno == ENOENT else { throw .fileSystem("remove", folder.path, errno: errno) }
    }
  }

  /// The regular files in `folder` whose names pass `isIncluded`, sorted; none when there is no such folder.
  static func files(in folder: URL, where isIncluded: (String) -> Bool) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { name in
      isIncluded(name) && size(of: folder.appendingPathComponent(name)) != nil
    }.sorted()
  }
}
