import type { MerchantConfig } from '../config/config-schema';
import type { NotificationRecord } from '../store/notification-records';
import type { MessageModel } from './messages/models';

/**
 * One way to reach a payer (docs/spec/notifications.md). A new channel is a folder beside email/ and
 * whatsapp/ exporting a ChannelSender; the job picks it by the row's `channel`.
 */
export type SendOutcome =
  | { readonly ok: true; readonly providerId: string | null }
  /** permanent: retrying cannot help (invalid address, template rejected); the message fails at once. */
  | { readonly ok: false; readonly permanent: boolean; readonly error: string };

export interface ChannelSender {
  /** Whether this merchant can use the channel at all (configured credentials, templates). */
  available(merchant: MerchantConfig, kind: MessageModel['kind']): boolean;
  send(
    notification: NotificationRecord,
    message: MessageModel,
    merchant: MerchantConfig,
  ): Promise<SendOutcome>;
}
