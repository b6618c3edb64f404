import Foundation
import Testing
import ZIPFoundation

@testable import EvidenceImport

/// Builds WhatsApp exports in a temporary folder and reads them back.
enum WhatsAppFixtures {
  /// The time zone the fixtures' phones are in.
  static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? .gmt

  /// A fresh folder for one test's files.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("whatsapp-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `lines` as a chat .txt (joined with `newline`, ending with one) and returns its URL.
  static func chat(
    _ lines: [String], named name: String = "WhatsApp Chat with Marko.txt", newline: String = "\n"
  ) throws -> URL {
    let url = try folder().appendingPathComponent(name)
    try Data((lines.joined(separator: newline) + newline).utf8).write(to: url)
    return url
  }

  /// Writes a .zip with the given entries (path → bytes) and returns its URL.
  static func zip(_ entries: [(path: String, bytes: [UInt8])], named name: String = "Export.zip") throws -> URL {
    let url = try folder().appendingPathComponent(name)
    let archive = try Archive(url: url, accessMode: .create)
    for (path, bytes) in entries {
      let data = Data(bytes)
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
      ) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    return url
  }

  /// The UTF-8 bytes of chat lines, each ending with a newline.
  static func text(_ lines: [String]) -> [UInt8] {
    Array(lines.map { $0 + "\n" }.joined().utf8)
  }

  /// Reads every message of an export.
  static func read(
    _ url: URL, me: String? = "Anna", timeZone: TimeZone = stockholm, dateOrder: DateOrder? = nil
  ) throws -> [ImportedMessage] {
    var messages: [ImportedMessage] = []
    try WhatsAppReader(url: url, me: me, timeZone: timeZone, dateOrder: dateOrder).read { messages.append($0) }
    // Zip members are read only when stored; here, at once, to compare them with what the zip holds.
    for index in messages.indices {
      for item in messages[index].attachments.indices {
        if case .archiveMember(let member) = messages[index].attachments[item].content {
          messages[index].attachments[item].content = .bytes(try member.bytes())
        }
      }
    }
    return messages
  }

  /// The ImportError reading an export throws, or nil when it throws none.
  static func error(_ url: URL, dateOrder: DateOrder? = nil) -> ImportError? {
    do {
      _ = try read(url, dateOrder: dateOrder)
      return nil
    } catch let error as ImportError {
      return error
    } catch {
      return ImportError(file: "?", message: "unexpected \(error)")
    }
  }

  /// An instant written in ISO 8601 with its offset ("2026-11-28T22:31:00+01:00").
  static func at(_ iso: String) throws -> Date {
    try #require(ISO8601DateFormatter().date(from: iso), "bad fixture date \(iso)")
  }

  /// A received message from Marko as the reader should yield it.
  static func received(
    _ text: String, at iso: String, line: Int, from name: String = "Marko", ambiguous: Bool = false,
    attachments: [ImportedAttachment] = [], details: [String: String] = [:]
  ) throws -> ImportedMessage {
    ImportedMessage(
      channel: .whatsapp, direction: .received, sender: Party(name: name),
      time: SourceTime(instant: try at(iso), isAmbiguous: ambiguous), text: text, attachments: attachments,
      position: "line \(line)", details: details
    )
  }

  /// A message the person sent, as the reader should yield it.
  static func sent(
    _ text: String, at iso: String, line: Int, attachments: [ImportedAttachment] = [],
    details: [String: String] = [:]
  ) throws -> ImportedMessage {
    ImportedMessage(
      channel: .whatsapp, direction: .sent, sender: Party(name: "Anna"),
      time: SourceTime(instant: try at(iso)), text: text, attachments: attachments, position: "line \(line)",
      details: details
    )
  }
}
