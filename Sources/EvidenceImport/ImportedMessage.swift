import Foundation

/// How a message reached the person.
public enum MessageChannel: String, Codable, CaseIterable, Sendable {
  case sms, mms, whatsapp, telegram, signal, email, voicemail, call, other
}

/// Which way a message (or call) went, from the person's side.
public enum MessageDirection: String, Codable, CaseIterable, Sendable {
  case received, sent, draft, outbox, failed, queued
  /// Calls only.
  case missed, rejected, blocked
  case unknown
}

/// A sender or recipient as the source names them. Nothing is normalised here: the vault does that.
public struct Party: Equatable, Sendable, Codable {
  /// A display name, when the source gives one ("Marko", "Mamma").
  public var name: String?
  /// A phone number, e-mail address or handle exactly as the source writes it.
  public var address: String?

  public init(name: String? = nil, address: String? = nil) {
    self.name = name
    self.address = address
  }
}

/// When the source says a message was sent or received.
public struct SourceTime: Equatable, Sendable {
  /// The instant.
  public var instant: Date
  /// True when the source gave a local time that happened twice (the autumn DST hour) and the earlier reading
  /// that keeps messages in file order was taken.
  public var isAmbiguous: Bool

  public init(instant: Date, isAmbiguous: Bool = false) {
    self.instant = instant
    self.isAmbiguous = isAmbiguous
  }
}

/// A file that came with a message (an MMS picture, a WhatsApp photo, an e-mail attachment).
public struct ImportedAttachment: Sendable, Equatable {
  public enum Content: Sendable, Equatable {
    /// The bytes themselves (decoded from base64 or taken from an archive).
    case bytes([UInt8])
    /// A file on disk next to the export (Telegram's export folder).
    case file(URL)
    /// A file inside the export's zip, inflated only when it is stored, piece by piece.
    case archiveMember(ArchiveMember)
    /// The export did not include the file; the reason, as the source puts it ("<Media omitted>").
    case missing(String)
  }

  /// The file name the source gives, or one made up from the message ("part-1.jpg").
  public var name: String
  /// The media type the source declares, if any (the vault reads the real one from the bytes).
  public var declaredType: String?
  public var content: Content

  public init(name: String, declaredType: String? = nil, content: Content) {
    self.name = name
    self.declaredType = declaredType
    self.content = content
  }
}

/// One message (or call) read from an export, exactly as the source has it.
public struct ImportedMessage: Sendable, Equatable {
  public var channel: MessageChannel
  public var direction: MessageDirection
  public var sender: Party?
  public var recipients: [Party]
  /// When the source says it was sent or received; nil when the source gives no usable time.
  public var time: SourceTime?
  /// The exact text, unchanged (line breaks, emoji, spacing). Empty for a call or a picture without text.
  public var text: String
  /// An e-mail's subject.
  public var subject: String?
  public var attachments: [ImportedAttachment]
  /// Where in the source file it came from, for an investigator to find it: "line 12", "<sms> 34",
  /// "message 5 (id 1234)", "mbox message 3 at byte 10240".
  public var position: String
  /// Facts of the format kept verbatim, for the record ("Message-ID", "Received", "duration", "presentation").
  public var details: [String: String]

  public init(
    channel: MessageChannel, direction: MessageDirection, sender: Party?, recipients: [Party] = [],
    time: SourceTime?, text: String, subject: String? = nil, attachments: [ImportedAttachment] = [],
    position: String, details: [String: String] = [:]
  ) {
    self.channel = channel
    self.direction = direction
    self.sender = sender
    self.recipients = recipients
    self.time = time
    self.text = text
    self.subject = subject
    self.attachments = attachments
    self.position = position
    self.details = details
  }
}

/// Why an export could not be read: which file, where in it, and what is wrong, in one sentence.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file's name.
  public var file: String
  /// Where in it ("line 12", "<sms> 34"), when known.
  public var position: String?
  /// What is wrong, as a sentence for the person.
  public var message: String

  public init(file: String, position: String? = nil, message: String) {
    self.file = file
    self.position = position
    self.message = message
  }

  public var description: String {
    "\(file)\(position.map { ", \($0)" } ?? ""): \(message)"
  }
}

/// Reports how far reading a large export has come: bytes read, bytes in all.
public typealias ImportProgress = (_ done: Int64, _ total: Int64) -> Void
