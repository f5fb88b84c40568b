/** Resend read-back (GET /emails/{id} → last_event), for the production smoke's email ledger. */
export {
  createResendReadBack, deliveryVerdict, DELIVERED_EVENTS, FAILED_EVENTS, IN_FLIGHT_EVENTS, ResendReadBackError,
  type DeliveryVerdict, type ResendEmail, type ResendReadBack, type ResendReadBackOptions,
} from './read-back.js';
