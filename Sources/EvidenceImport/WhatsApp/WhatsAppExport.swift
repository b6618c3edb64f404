import EvidenceZip
import Foundation

/// The chat text of an export and, for a .zip, the media files that came with it.
struct WhatsAppExport {
  /// The name errors are reported under: the .txt, or `Export.zip/_chat.txt`.
  var fileName: String
  /// The bytes of the chat text.
  var chat: [UInt8]
  private var archiveName: String
  private var archive: SharedArchive?
  private var media: [String: ZipReader.Member]
  private var limits: ImportLimits

  /// Opens a .txt export, or a .zip export (told apart by its first bytes) and its chat entry.
  ///
  /// Only the chat text is read now (at most `limits.chatTextByteCount`); media files are read when stored.
  init(url: URL, limits: ImportLimits = .standard) throws(ImportError) {
    let name = url.lastPathComponent
    self.archiveName = name
    self.limits = limits
    guard try Self.startsLikeZip(url) else {
      self.fileName = name
      self.chat = try BoundedFile.read(url, limit: limits.chatTextByteCount, what: "The chat")
      self.archive = nil
      self.media = [:]
      return
    }
    let reader: ZipReader
    do {
      reader = try ZipReader(url: url)
    } catch {
      let why = error == .notAZip ? "" : ": \(error)"
      throw ImportError(file: name, message: "The file looks like a zip archive but cannot be opened as one\(why).")
    }
    var texts: [ZipReader.Member] = []
    var media: [String: ZipReader.Member] = [:]
    for member in reader.members where !member.path.hasPrefix("__MACOSX/") {
      let base = Self.baseName(member.path)
      if base.lowercased().hasSuffix(".txt") { texts.append(member) }
      if media[base] == nil { media[base] = member }
    }
    guard let chatEntry = Self.chatEntry(texts) else {
      let message =
        texts.isEmpty
        ? "The zip has no WhatsApp chat in it (no .txt file)."
        : "The zip has several .txt files and none is named like a WhatsApp chat."
      throw ImportError(file: name, message: message)
    }
    let shared = SharedArchive(reader)
    self.fileName = "\(name)/\(chatEntry.path)"
    self.archive = shared
    self.media = media
    var chatLimits = limits
    chatLimits.inflatedMaximumByteCount = min(limits.inflatedMaximumByteCount, Int64(limits.chatTextByteCount))
    let member = ArchiveMember(archiveName: name, member: chatEntry, archive: shared, limits: chatLimits)
    do {
      self.chat = try member.bytes()
    } catch let error as ImportError {
      throw error
    } catch {
      throw ImportError(file: name, message: "The zip member \(chatEntry.path) cannot be read.")
    }
  }

  /// Whether the file starts with a zip signature (a local file header, or the end record of an empty zip).
  private static func startsLikeZip(_ url: URL) throws(ImportError) -> Bool {
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw ImportError(
        file: url.lastPathComponent, message: "The file cannot be read (\(error.localizedDescription)).")
    }
    defer { try? handle.close() }
    let start = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
    return start == [0x50, 0x4B, 0x03, 0x04] || start == [0x50, 0x4B, 0x05, 0x06]
  }

  /// Whether the export is a .zip (so missing media is missing from it, not merely not included).
  var isArchive: Bool { archive != nil }

  /// The content of the media file `name` as the export has it: a member read only when it is stored.
  func content(of name: String) -> ImportedAttachment.Content {
    guard let archive, let member = media[name] else { return .missing("not in the export") }
    return .archiveMember(ArchiveMember(archiveName: archiveName, member: member, archive: archive, limits: limits))
  }

  /// The chat entry: `_chat.txt` (iOS), `WhatsApp Chat with X.txt` (Android), or the only .txt there is.
  private static func chatEntry(_ texts: [ZipReader.Member]) -> ZipReader.Member? {
    if let iOS = texts.first(where: { baseName($0.path) == "_chat.txt" }) { return iOS }
    let named = texts.filter { baseName($0.path).lowercased().hasPrefix("whatsapp") }
    if named.count == 1 { return named.first }
    return texts.count == 1 ? texts.first : nil
  }

  private static func baseName(_ path: String) -> String {
    String(path.split(separator: "/").last ?? Substring(path))
  }
}
