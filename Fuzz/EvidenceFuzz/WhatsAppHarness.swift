import EvidenceImport
import Foundation

/// The WhatsApp reader over one export: the chat .txt (lines, WhatsAppLineHeader, the date order, senders,
/// attachments named in the text), or a .zip when the input starts like one (then the media members are read too).
enum WhatsAppHarness {
  static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? .gmt

  static func run(_ bytes: UnsafeRawBufferPointer) {
    let isZip = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    let url = FuzzInput.file(bytes, named: isZip ? "WhatsApp Chat with Marko.zip" : "WhatsApp Chat with Marko.txt")
    try? WhatsAppReader(url: url, me: "Anna", timeZone: stockholm).read { message in
      for attachment in message.attachments {
        if case .archiveMember(let member) = attachment.content { _ = try? member.bytes() }
      }
    }
  }
}
