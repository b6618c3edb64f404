import Foundation
import ZIPFoundation

/// The chat text of an export and, for a .zip, the media files that came with it.
struct WhatsAppExport {
  /// The name errors are reported under: the .txt, or `Export.zip/_chat.txt`.
  var fileName: String
  /// The bytes of the chat text.
  var chat: [UInt8]
  private var archive: Archive?
  private var media: [String: Entry]

  /// Opens a .txt export, or a .zip export (told apart by its first bytes) and its chat entry.
  init(url: URL) throws(ImportError) {
    let name = url.lastPathComponent
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ImportError(file: name, message: "The file cannot be read (\(error.localizedDescription)).")
    }
    guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
      self.fileName = name
      self.chat = [UInt8](data)
      self.archive = nil
      self.media = [:]
      return
    }
    let archive: Archive
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      throw ImportError(file: name, message: "The file looks like a zip archive but cannot be opened as one.")
    }
    var texts: [Entry] = []
    var media: [String: Entry] = [:]
    for entry in archive where entry.type == .file && !entry.path.hasPrefix("__MACOSX/") {
      let base = Self.baseName(entry.path)
      if base.lowercased().hasSuffix(".txt") { texts.append(entry) }
      if media[base] == nil { media[base] = entry }
    }
    guard let chatEntry = Self.chatEntry(texts) else {
      let message =
        texts.isEmpty
        ? "The zip has no WhatsApp chat in it (no .txt file)."
        : "The zip has several .txt files and none is named like a WhatsApp chat."
      throw ImportError(file: name, message: message)
    }
    self.fileName = "\(name)/\(chatEntry.path)"
    self.chat = try Self.bytes(of: chatEntry, in: archive, fileName: name)
    self.archive = archive
    self.media = media
  }

  /// Whether the export is a .zip (so missing media is missing from it, not merely not included).
  var isArchive: Bool { archive != nil }

  /// The content of the media file `name` as the export has it.
  func content(of name: String) throws(ImportError) -> ImportedAttachment.Content {
    guard let archive, let entry = media[name] else { return .missing("not in the export") }
    return .bytes(try Self.bytes(of: entry, in: archive, fileName: fileName))
  }

  /// The chat entry: `_chat.txt` (iOS), `WhatsApp Chat with X.txt` (Android), or the only .txt there is.
  private static func chatEntry(_ texts: [Entry]) -> Entry? {
    if let iOS = texts.first(where: { baseName($0.path) == "_chat.txt" }) { return iOS }
    let named = texts.filter { baseName($0.path).lowercased().hasPrefix("whatsapp") }
    if named.count == 1 { return named.first }
    return texts.count == 1 ? texts.first : nil
  }

  private static func baseName(_ path: String) -> String {
    String(path.split(separator: "/").last ?? Substring(path))
  }

  private static func bytes(of entry: Entry, in archive: Archive, fileName: String) throws(ImportError) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(clamping: entry.uncompressedSize))
    do {
      _ = try archive.extract(entry) { bytes.append(contentsOf: $0) }
    } catch {
      throw ImportError(file: fileName, message: "The zip entry \(entry.path) cannot be read (\(error)).")
    }
    return bytes
  }
}
