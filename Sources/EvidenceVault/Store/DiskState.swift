import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the disk under a vault can take writes: a vault on a read-only or full disk opens to read and export.
enum DiskState {
  /// A sentence when the file system holding `folder` is mounted read-only, else nil.
  static func readOnlyReason(_ folder: URL) -> String? {
    var info = statvfs()
    guard statvfs(folder.path, &info) == 0 else { return nil }
    return info.f_flag & UInt(ST_RDONLY) != 0 ? "its disk is read-only." : nil
  }

  /// After a write that opening needed failed: a sentence when the disk is to blame (full or read-only), else nil.
  static func readOnlyReason(_ folder: URL, after failure: VaultError) -> String? {
    if failure.code == .diskFull { return "its disk is full, so the repairs opening needed could not be saved." }
    return readOnlyReason(folder)
  }
}
