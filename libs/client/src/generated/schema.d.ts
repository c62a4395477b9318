// Generated from docs/openapi.json by `npx nx run client:generate` (openapi-typescript). Do not edit.

export interface paths {
    "/v1/admin/audit/records/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Merkle inclusion proof of one audit record */
        get: operations["getV1AdminAuditRecordsIdProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recomputes the audit chain and every block root */
        get: operations["getV1AdminAuditVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/brands/{brand}/image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a brand image (multipart/form-data, the image in the field `file`): PNG, JPEG or WebP, judged by its content */
        post: operations["postV1AdminBrandsBrandImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/events/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events a consumer gave up on, oldest first (unresolved only) */
        get: operations["getV1AdminEventsDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/events/dead-letters/{id}/resubmit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enqueue a dead-lettered event for its consumer again, once its cause is fixed */
        post: operations["postV1AdminEventsDeadLettersIdResubmit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest cross-domain reconciliation report (redemptions ↔ credits, deposits, withdrawals ↔ holds, publications) */
        get: operations["getV1AdminReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/redemptions/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a flagged redemption: the wallet credits its stored quote (audited as redemption.approve) */
        post: operations["postV1AdminRedemptionsIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/redemptions/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a flagged redemption; the user is told rejected-in-review (audited as redemption.reject) */
        post: operations["postV1AdminRedemptionsIdReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/redemptions/flagged": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redemptions held for review (over the daily review amount), newest first */
        get: operations["getV1AdminRedemptionsFlagged"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/reserves": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Chain ↔ records: what bitcoin-gateway's wallet holds against what its records say, the latest checks and whether payouts are paused */
        get: operations["getV1AdminReserves"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/reserves/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge the open reserves mismatches: automatic payouts resume, the difference becomes an adjustment of the records (audited as reserves.acknowledge) */
        post: operations["postV1AdminReservesAcknowledge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search users, newest first (audited as user.search) */
        get: operations["getV1AdminUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user and their wallet balance (audited as user.view) */
        get: operations["getV1AdminUsersId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/freeze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Freeze a user: redeeming and withdrawing are refused (audited as user.freeze) */
        post: operations["postV1AdminUsersIdFreeze"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/unfreeze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a frozen user active again (audited as user.unfreeze) */
        post: operations["postV1AdminUsersIdUnfreeze"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/withdrawals/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a withdrawal: it goes to bitcoin-gateway as any request below the threshold (audited as withdrawal.approve) */
        post: operations["postV1AdminWithdrawalsIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/withdrawals/{id}/bump-fee": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** RBF: replace a stuck withdrawal's unconfirmed transaction by one paying a higher fee rate (audited as withdrawal.bump-fee) */
        post: operations["postV1AdminWithdrawalsIdBumpFee"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/withdrawals/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a withdrawal: its whole hold returns to the user, who is told the reason (audited as withdrawal.reject) */
        post: operations["postV1AdminWithdrawalsIdReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/withdrawals/awaiting-approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Withdrawals above WITHDRAWAL_APPROVAL_THRESHOLD_SATS waiting for a decision, newest first */
        get: operations["getV1AdminWithdrawalsAwaitingApproval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a session with e-mail and password */
        post: operations["postV1AuthLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session the refresh token belongs to */
        post: operations["postV1AuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange a refresh token for a new access and refresh token */
        post: operations["postV1AuthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account */
        post: operations["postV1AuthSignup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{brand}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A brand's images, newest first */
        get: operations["getV1BrandsBrandImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/giftcards/brands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The gift-card brands Bitro redeems, with their terms */
        get: operations["getV1GiftcardsBrands"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/giftcards/redemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My redemptions, newest first */
        get: operations["getV1GiftcardsRedemptions"];
        put?: never;
        /** Redeem a gift-card PIN for bitcoin */
        post: operations["postV1GiftcardsRedemptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/giftcards/redemptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of my redemptions */
        get: operations["getV1GiftcardsRedemptionsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["getV1Me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the display name or the password */
        patch: operations["patchV1Me"];
        trace?: never;
    };
    "/v1/me/email-verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the e-mail address with the code sent to it */
        post: operations["postV1MeEmailVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/email-verification/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a new verification code (the previous one stops working) */
        post: operations["postV1MeEmailVerificationResend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/two-factor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start enrolling a TOTP second factor */
        post: operations["postV1MeTwoFactor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/two-factor/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the enrolment with a first code; from then on login and withdrawals need a code */
        post: operations["postV1MeTwoFactorConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/two-factor/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn two-factor authentication off (needs a code) */
        post: operations["postV1MeTwoFactorRemove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My in-app notifications, newest first */
        get: operations["getV1Notifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a notification read */
        post: operations["postV1NotificationsIdRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My notification language and channels */
        get: operations["getV1NotificationsPreferences"];
        /** Change my notification language or channels */
        put: operations["putV1NotificationsPreferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark all my notifications read */
        post: operations["postV1NotificationsReadAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My webhooks */
        get: operations["getV1NotificationsWebhooks"];
        put?: never;
        /** Register a webhook */
        post: operations["postV1NotificationsWebhooks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a webhook */
        delete: operations["deleteV1NotificationsWebhooksId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's delivery log, newest first */
        get: operations["getV1NotificationsWebhooksIdDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user’s balance in satoshis, with a KRW estimate */
        get: operations["getV1WalletBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/deposit-address": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** My current bitcoin deposit address */
        post: operations["postV1WalletDepositAddress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My bitcoin deposits, newest first */
        get: operations["getV1WalletDeposits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user’s ledger entries, newest first */
        get: operations["getV1WalletTransactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/withdrawals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My withdrawals, newest first */
        get: operations["getV1WalletWithdrawals"];
        put?: never;
        /** Send bitcoin to an address */
        post: operations["postV1WalletWithdrawals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallet/withdrawals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of my withdrawals */
        get: operations["getV1WalletWithdrawalsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            requestId?: string;
            errors?: {
                /** @enum {string} */
                in: "body" | "query" | "path" | "header";
                pointer: string;
                message: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getV1AdminAuditRecordsIdProof: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record, its hash, its block’s root and the sibling path. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "record": {
                     *         "id": "a7c3e1f5-9b2d-4f6a-8e0c-3d5f7b9a1c26",
                     *         "seq": "17904",
                     *         "type": "ledger.journal",
                     *         "occurredAt": "2026-12-04T11:20:31.874Z",
                     *         "payload": {
                     *           "journalId": "1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42",
                     *           "kind": "credit",
                     *           "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *           "amountSats": "32314",
                     *           "reference": "redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *           "description": "cultureland gift card redemption",
                     *           "holdReference": null,
                     *           "postings": [
                     *             {
                     *               "account": "house:giftcard_liability",
                     *               "amountSats": "-32314"
                     *             },
                     *             {
                     *               "account": "user:3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44:available",
                     *               "amountSats": "32314"
                     *             }
                     *           ],
                     *           "createdAt": "2026-12-04T11:20:31.874Z"
                     *         },
                     *         "prevHash": "97fe05f92211c506e6b9f5cbdd51f62dfdd48ba67ed5917c579e07eb838c04b3",
                     *         "hash": "6c68c00b1f3013ce4a201ad32410f516867afd9569001a175ade2d51c2644968"
                     *       },
                     *       "block": {
                     *         "height": "597",
                     *         "firstSeq": "17901",
                     *         "lastSeq": "17932",
                     *         "merkleRoot": "9569336558e42455baeed5c05d7be4c7944c7f96527ee169fd427a3fd86a4d75",
                     *         "anchors": [
                     *           {
                     *             "adapter": "gateway",
                     *             "reference": "6849202cccf4dee53d3b5e92d4abff2052c0b90c105d84c1f2ee720a601cda59",
                     *             "anchoredAt": "2026-12-04T11:31:02.448Z"
                     *           }
                     *         ]
                     *       },
                     *       "path": [
                     *         {
                     *           "position": "right",
                     *           "hash": "5c1e4acd4f0931e62c81d7b8cb34dab83ab4c4c013e02a9fee8f784819dcf8c6"
                     *         },
                     *         {
                     *           "position": "left",
                     *           "hash": "c23e7c5156ee92fc77b7c3e94bb6498589130434e6bfd2fa6806d93f27df3986"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        record: {
                            /** Format: uuid */
                            id: string;
                            seq: string;
                            type: string;
                            /** Format: date-time */
                            occurredAt: string;
                            payload: unknown;
                            prevHash: string;
                            hash: string;
                        };
                        block: {
                            height: string;
                            firstSeq: string;
                            lastSeq: string;
                            merkleRoot: string;
                            anchors: {
                                adapter: string;
                                reference: string;
                                /** Format: date-time */
                                anchoredAt: string;
                            }[];
                        };
                        path: {
                            /** @enum {string} */
                            position: "left" | "right";
                            hash: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No audit record has this id. Problem types: `audit-record-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/audit-record-not-found";
                    };
                };
            };
            /** @description The record is not sealed in a block yet; retry after AUDIT_BLOCK_INTERVAL_MS. Problem types: `audit-record-unsealed`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/audit-record-unsealed";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminAuditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report; `ok: false` names the first broken record and block. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "ok": true,
                     *       "records": 18342,
                     *       "blocks": 611,
                     *       "firstBrokenRecord": null,
                     *       "firstBrokenBlock": null
                     *     }
                     */
                    "application/json": {
                        ok: boolean;
                        records: number;
                        blocks: number;
                        /** @description The first record (in seq order) that is missing or does not match the chain; null when none. */
                        firstBrokenRecord: {
                            seq: string;
                            id: string | null;
                            reason: string;
                        } | null;
                        firstBrokenBlock: {
                            height: string;
                            reason: string;
                        } | null;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminBrandsBrandImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Brand code, e.g. `cultureland` */
                brand: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The image: PNG, JPEG or WebP (judged by its content), at most IMAGE_MAX_BYTES.
                     */
                    file: string;
                };
            };
        };
        responses: {
            /** @description Stored; resized variants (64, 256 and 512 px wide, WebP and the original format) with their URLs. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "8f2a6c0e-4b1d-4d3f-a7e9-1c5b3d7f9a24",
                     *       "brand": "cultureland",
                     *       "sourceType": "image/png",
                     *       "createdAt": "2026-11-30T02:17:55.608Z",
                     *       "variants": [
                     *         {
                     *           "url": "/images/cultureland/72a9c4cb6e20a59cb2f8daf0-64w.png",
                     *           "variant": "64w.png",
                     *           "width": 64,
                     *           "height": 40,
                     *           "contentType": "image/png",
                     *           "bytes": 3184,
                     *           "sha256": "72a9c4cb6e20a59cb2f8daf05d4a1f31a4b32960b9a416d277c8c7e0b1afeb3d"
                     *         },
                     *         {
                     *           "url": "/images/cultureland/01872b4cdc9c78decbe32e18-64w.webp",
                     *           "variant": "64w.webp",
                     *           "width": 64,
                     *           "height": 40,
                     *           "contentType": "image/webp",
                     *           "bytes": 1206,
                     *           "sha256": "01872b4cdc9c78decbe32e1853c1839adf8cffd4e3645c3e95c949aad20fa0c2"
                     *         },
                     *         {
                     *           "url": "/images/cultureland/4d0f6114db056f17560b6380-256w.png",
                     *           "variant": "256w.png",
                     *           "width": 256,
                     *           "height": 160,
                     *           "contentType": "image/png",
                     *           "bytes": 28311,
                     *           "sha256": "4d0f6114db056f17560b63806d9abffd292c1199d3c76f38437356211a5a69ec"
                     *         },
                     *         {
                     *           "url": "/images/cultureland/23f04751f42d80b250cda251-256w.webp",
                     *           "variant": "256w.webp",
                     *           "width": 256,
                     *           "height": 160,
                     *           "contentType": "image/webp",
                     *           "bytes": 7942,
                     *           "sha256": "23f04751f42d80b250cda251409e0f8742e2174534317657ed48de68a00206e0"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        brand: string;
                        /** @description The uploaded file's type, detected from its content. */
                        sourceType: string;
                        /** Format: date-time */
                        createdAt: string;
                        variants: {
                            /** @description Served with `Cache-Control: public, max-age=31536000, immutable`: the name changes with the content. */
                            url: string;
                            /** @description Requested width and format, e.g. `256w.webp` */
                            variant: string;
                            width: number;
                            height: number;
                            /** @enum {string} */
                            contentType: "image/png" | "image/jpeg" | "image/webp";
                            bytes: number;
                            sha256: string;
                        }[];
                    };
                };
            };
            /** @description The body is not well-formed multipart/form-data (a form without the field `file` is a `validation` problem). The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `malformed-request`, `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/malformed-request" | "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description The file is larger than IMAGE_MAX_BYTES. Problem types: `image-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/image-too-large";
                    };
                };
            };
            /** @description Not multipart/form-data, or the content is not PNG, JPEG or WebP (the detail names the detected type). Problem types: `multipart-required`, `unsupported-image-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/multipart-required" | "https://bitro.dev/problems/unsupported-image-type";
                    };
                };
            };
            /** @description The image cannot be decoded or exceeds IMAGE_MAX_SIDE / IMAGE_MAX_PIXELS. Problem types: `invalid-image`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-image";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminEventsDeadLetters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The unresolved dead letters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "9c5a1e3b-7d2f-4c8a-b6e0-2f4d6a8c0e97",
                     *           "consumer": "notification",
                     *           "event": {
                     *             "id": "d8f2b6a4-0e1c-4a7d-9b3f-6c8e0a2d4f51",
                     *             "name": "wallet.credited.v1",
                     *             "occurredAt": "2026-12-04T11:20:31.874Z",
                     *             "payload": {
                     *               "journalId": "1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42",
                     *               "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *               "amountSats": "32314",
                     *               "reference": "redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *               "redemptionId": "0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f"
                     *             }
                     *           },
                     *           "error": "connect ECONNREFUSED 10.0.4.12:587",
                     *           "attempts": 8,
                     *           "failedAt": "2026-12-04T13:02:10.310Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            consumer: string;
                            event: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                /** Format: date-time */
                                occurredAt: string;
                                payload: unknown;
                            };
                            error: string;
                            attempts: number;
                            /** Format: date-time */
                            failedAt: string;
                        }[];
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminEventsDeadLettersIdResubmit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Enqueued again with fresh attempts; the dead letter is resolved. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "9c5a1e3b-7d2f-4c8a-b6e0-2f4d6a8c0e97",
                     *       "resubmitted": true
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** @constant */
                        resubmitted: true;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No unresolved dead letter has this id. Problem types: `dead-letter-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dead-letter-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminReconciliation: {
        parameters: {
            query?: {
                run?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest report (`report: null` before the first run). Each category counts what drifted and names the first 100 ids with a reason. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "report": {
                     *         "ok": false,
                     *         "trigger": "schedule",
                     *         "startedAt": "2026-12-05T06:00:00.021Z",
                     *         "durationMs": 412,
                     *         "graceSeconds": 900,
                     *         "windowStart": "2026-12-04T06:00:00.021Z",
                     *         "categories": {
                     *           "redemptions": {
                     *             "count": 1,
                     *             "items": [
                     *               {
                     *                 "id": "0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *                 "reason": "approved 1832 s ago and still verified"
                     *               }
                     *             ]
                     *           },
                     *           "redemptionCredits": {
                     *             "count": 0,
                     *             "items": []
                     *           },
                     *           "deposits": {
                     *             "count": 0,
                     *             "items": []
                     *           },
                     *           "withdrawals": {
                     *             "count": 0,
                     *             "items": []
                     *           },
                     *           "publications": {
                     *             "count": 0,
                     *             "items": []
                     *           }
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        report: {
                            ok: boolean;
                            /** @enum {string} */
                            trigger: "schedule" | "admin" | "command";
                            /** Format: date-time */
                            startedAt: string;
                            durationMs: number;
                            graceSeconds: number;
                            windowStart: string | null;
                            categories: {
                                redemptions: {
                                    count: number;
                                    items: {
                                        id: string;
                                        reason: string;
                                    }[];
                                };
                                redemptionCredits: {
                                    count: number;
                                    items: {
                                        id: string;
                                        reason: string;
                                    }[];
                                };
                                deposits: {
                                    count: number;
                                    items: {
                                        id: string;
                                        reason: string;
                                    }[];
                                };
                                withdrawals: {
                                    count: number;
                                    items: {
                                        id: string;
                                        reason: string;
                                    }[];
                                };
                                publications: {
                                    count: number;
                                    items: {
                                        id: string;
                                        reason: string;
                                    }[];
                                };
                            };
                        } | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminRedemptionsIdApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Approved: verified, the credit is on its way. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "5f1d3b7e-9c2a-4e6d-8b0f-4a6c8e0b2d73",
                     *       "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "state": "verified"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        userId: string;
                        /** @constant */
                        state: "verified";
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No redemption has this id. Problem types: `redemption-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/redemption-not-found";
                    };
                };
            };
            /** @description The redemption is not flagged (also when it was already decided), it is your own request (another admin decides it), or its user is frozen. Problem types: `redemption-not-flagged`, `own-request`, `account-not-active`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/redemption-not-flagged" | "https://bitro.dev/problems/own-request" | "https://bitro.dev/problems/account-not-active";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminRedemptionsIdReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "The issuer reports the card as stolen."
                 *     }
                 */
                "application/json": {
                    /** @description Why, for the audit trail (the user is not shown it). */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Rejected. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "5f1d3b7e-9c2a-4e6d-8b0f-4a6c8e0b2d73",
                     *       "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "state": "rejected"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        userId: string;
                        /** @constant */
                        state: "rejected";
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No redemption has this id. Problem types: `redemption-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/redemption-not-found";
                    };
                };
            };
            /** @description The redemption is not flagged (also when it was already decided), or it is your own request. Problem types: `redemption-not-flagged`, `own-request`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/redemption-not-flagged" | "https://bitro.dev/problems/own-request";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminRedemptionsFlagged: {
        parameters: {
            query?: {
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of flagged redemptions with their stored quotes; `nextCursor` is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "5f1d3b7e-9c2a-4e6d-8b0f-4a6c8e0b2d73",
                     *           "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *           "brand": "cultureland",
                     *           "faceValueKrw": "50000",
                     *           "feeKrw": "4000",
                     *           "priceKrwPerBtc": "142350000",
                     *           "amountSats": "32314",
                     *           "createdAt": "2026-12-05T07:52:18.044Z"
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            userId: string;
                            brand: string;
                            faceValueKrw: string;
                            feeKrw: string;
                            priceKrwPerBtc: string;
                            amountSats: string;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminReserves: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest check first. A `mismatch` (difference beyond the tolerance) pauses automatic payouts (`paused`) until acknowledged; `unsettled` checks judged nothing (a payout or anchor was in doubt). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "toleranceSats": "1000",
                     *       "paused": {
                     *         "since": "2026-12-05T06:00:04.118Z",
                     *         "checkId": "4b8d2f6a-0c3e-4a5b-9d7f-1e3a5c7b9d02",
                     *         "differenceSats": "-50000"
                     *       },
                     *       "checks": [
                     *         {
                     *           "id": "4b8d2f6a-0c3e-4a5b-9d7f-1e3a5c7b9d02",
                     *           "checkedAt": "2026-12-05T06:00:04.118Z",
                     *           "tipHeight": 1311,
                     *           "status": "mismatch",
                     *           "walletSats": "84950000",
                     *           "expectedSats": "85000000",
                     *           "differenceSats": "-50000",
                     *           "figures": {
                     *             "wallet": {
                     *               "trusted": "84950000",
                     *               "untrustedPending": "0",
                     *               "immature": "0",
                     *               "locked": "0"
                     *             },
                     *             "expected": {
                     *               "adjustments": "0",
                     *               "deposits": "97500000",
                     *               "pendingDeposits": "0",
                     *               "paidOut": "12480000",
                     *               "payoutFees": "17950",
                     *               "anchorFees": "2050"
                     *             },
                     *             "differences": {
                     *               "trusted": "-50000",
                     *               "pending": "0",
                     *               "immature": "0",
                     *               "total": "-50000"
                     *             }
                     *           },
                     *           "acknowledgedAt": null,
                     *           "acknowledgedBy": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        toleranceSats: string;
                        paused: {
                            /** Format: date-time */
                            since: string;
                            /** Format: uuid */
                            checkId: string;
                            differenceSats: string;
                        } | null;
                        checks: {
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            checkedAt: string;
                            tipHeight: number;
                            /** @enum {string} */
                            status: "ok" | "mismatch" | "unsettled";
                            walletSats: string;
                            expectedSats: string;
                            differenceSats: string;
                            figures: {
                                [key: string]: {
                                    [key: string]: string | null;
                                } | string;
                            };
                            acknowledgedAt: string | null;
                            acknowledgedBy: string | null;
                        }[];
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description bitcoin-gateway cannot answer now. The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `gateway-unavailable`, `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/gateway-unavailable" | "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminReservesAcknowledge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "note": "Top-up of 0.5 BTC from cold storage, ticket OPS-212."
                 *     }
                 */
                "application/json": {
                    /** @description What the difference is (a top-up, a sweep to cold storage, a loss...). */
                    note: string;
                };
            };
        };
        responses: {
            /** @description What was acknowledged; `acknowledgedChecks` 0 when nothing was open. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "adjustedSats": "-50000",
                     *       "acknowledgedChecks": 1
                     *     }
                     */
                    "application/json": {
                        adjustedSats: string;
                        acknowledgedChecks: number;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description bitcoin-gateway cannot answer now; nothing was acknowledged. The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `gateway-unavailable`, `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/gateway-unavailable" | "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminUsers: {
        parameters: {
            query?: {
                /** @description An exact user id, or a part of the e-mail address (case-insensitive; % and _ are literal). */
                q?: string;
                status?: "active" | "frozen";
                role?: "user" | "admin";
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users; `nextCursor` is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *           "email": "ada@example.com",
                     *           "role": "user",
                     *           "status": "frozen",
                     *           "createdAt": "2026-11-02T06:14:09.331Z",
                     *           "frozenAt": "2026-12-01T10:02:45.120Z",
                     *           "frozenReason": "Chargeback dispute #4411 open"
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            /** @enum {string} */
                            role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "frozen";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            frozenAt?: string;
                            frozenReason?: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminUsersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, with the wallet balance in satoshis. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "email": "ada@example.com",
                     *       "role": "user",
                     *       "status": "frozen",
                     *       "createdAt": "2026-11-02T06:14:09.331Z",
                     *       "frozenAt": "2026-12-01T10:02:45.120Z",
                     *       "frozenReason": "Chargeback dispute #4411 open",
                     *       "wallet": {
                     *         "availableSats": "1843200",
                     *         "heldSats": "255000"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: email */
                        email: string;
                        /** @enum {string} */
                        role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "frozen";
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        frozenAt?: string;
                        frozenReason?: string;
                        wallet: {
                            availableSats: string;
                            heldSats: string;
                        };
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No user has this id. Problem types: `user-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/user-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminUsersIdFreeze: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "Chargeback dispute #4411 open"
                 *     }
                 */
                "application/json": {
                    /** @description Why, for the audit trail (1-500 characters). */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description The user is frozen. They can still sign in and see their balance and history. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *         "email": "ada@example.com",
                     *         "role": "user",
                     *         "status": "frozen",
                     *         "createdAt": "2026-11-02T06:14:09.331Z",
                     *         "frozenAt": "2026-12-01T10:02:45.120Z",
                     *         "frozenReason": "Chargeback dispute #4411 open"
                     *       },
                     *       "changed": true
                     *     }
                     */
                    "application/json": {
                        /**
                         * @example {
                         *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                         *       "email": "ada@example.com",
                         *       "role": "user",
                         *       "status": "frozen",
                         *       "createdAt": "2026-11-02T06:14:09.331Z",
                         *       "frozenAt": "2026-12-01T10:02:45.120Z",
                         *       "frozenReason": "Chargeback dispute #4411 open"
                         *     }
                         */
                        user: {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            /** @enum {string} */
                            role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "frozen";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            frozenAt?: string;
                            frozenReason?: string;
                        };
                        /** @description False when the user already was in that state: nothing was written. */
                        changed: boolean;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No user has this id. Problem types: `user-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/user-not-found";
                    };
                };
            };
            /** @description An admin may not freeze or unfreeze their own account. Problem types: `cannot-freeze-self`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/cannot-freeze-self";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminUsersIdUnfreeze: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "Dispute #4411 resolved"
                 *     }
                 */
                "application/json": {
                    /** @description Why, for the audit trail (1-500 characters). */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description The user is active. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *         "email": "ada@example.com",
                     *         "role": "user",
                     *         "status": "active",
                     *         "createdAt": "2026-11-02T06:14:09.331Z"
                     *       },
                     *       "changed": true
                     *     }
                     */
                    "application/json": {
                        /**
                         * @example {
                         *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                         *       "email": "ada@example.com",
                         *       "role": "user",
                         *       "status": "frozen",
                         *       "createdAt": "2026-11-02T06:14:09.331Z",
                         *       "frozenAt": "2026-12-01T10:02:45.120Z",
                         *       "frozenReason": "Chargeback dispute #4411 open"
                         *     }
                         */
                        user: {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            /** @enum {string} */
                            role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "frozen";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            frozenAt?: string;
                            frozenReason?: string;
                        };
                        /** @description False when the user already was in that state: nothing was written. */
                        changed: boolean;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No user has this id. Problem types: `user-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/user-not-found";
                    };
                };
            };
            /** @description An admin may not freeze or unfreeze their own account. Problem types: `cannot-freeze-self`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/cannot-freeze-self";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminWithdrawalsIdApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Approved: `requested`, on its way to the gateway. Its maxFee is the one chosen at the request: if fees rose since, the gateway may fail it (fee-too-high) and the hold returns. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "e8b2d4f6-1a3c-4e5b-8d7f-9a0c2e4b6d81",
                     *       "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *       "amountSats": "15000000",
                     *       "maxFeeSats": "6000",
                     *       "feeSats": null,
                     *       "status": "requested",
                     *       "txid": null,
                     *       "createdAt": "2026-12-05T08:11:47.203Z",
                     *       "reviewedBy": "9a0c7e52-1b3d-4e8f-a6c2-7d5e4f3b2a10",
                     *       "reviewedAt": "2026-12-05T08:40:03.655Z",
                     *       "rejectionReason": null
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        userId: string;
                        address: string;
                        amountSats: string;
                        /** @description Held with the amount: the most the network fee may be. */
                        maxFeeSats: string;
                        feeSats: string | null;
                        /**
                         * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                         * @enum {string}
                         */
                        status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                        txid: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description The admin who approved or rejected it. */
                        reviewedBy: string | null;
                        reviewedAt: string | null;
                        rejectionReason: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No withdrawal has this id. Problem types: `withdrawal-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-found";
                    };
                };
            };
            /** @description The withdrawal is not awaiting approval (also when it was already decided), or it is your own request (another admin decides it). Or its user is frozen. Problem types: `withdrawal-not-awaiting-approval`, `own-request`, `account-not-active`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-awaiting-approval" | "https://bitro.dev/problems/own-request" | "https://bitro.dev/problems/account-not-active";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminWithdrawalsIdBumpFee: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "feeRateSatPerVb": "25"
                 *     }
                 */
                "application/json": {
                    /** @description The new fee rate in sat/vB, e.g. "25" or "12.5" (at most 3 decimals). */
                    feeRateSatPerVb: string;
                };
            };
        };
        responses: {
            /** @description The gateway's result: the replacement's txid and fee (every withdrawal of the transaction moves along). The withdrawal shows them once the gateway reports the broadcast. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "withdrawalIds": [
                     *         "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57"
                     *       ],
                     *       "payoutId": "2d9f4b6e-8a1c-4f3d-b5e7-6c0a8e2d4f19",
                     *       "txid": "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
                     *       "replacedTxid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *       "feeSats": "3525",
                     *       "vsize": 141,
                     *       "status": "broadcast"
                     *     }
                     */
                    "application/json": {
                        /** @description Every withdrawal of the replaced transaction: they all move to the replacement. */
                        withdrawalIds: string[];
                        /** Format: uuid */
                        payoutId: string;
                        txid: string;
                        replacedTxid: string;
                        /** @description The fee of the whole replacement transaction. */
                        feeSats: string;
                        vsize: number;
                        /**
                         * @description broadcast: the node took the replacement; pending: stored, the gateway retries it; superseded: the node refused it, the old transaction stands.
                         * @enum {string}
                         */
                        status: "broadcast" | "pending" | "superseded";
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No withdrawal has this id. Problem types: `withdrawal-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-found";
                    };
                };
            };
            /** @description The gateway refused: the problem type names why (exceeds-max-fee: the fee would exceed the maxFeeSats held). Problem types: `not-broadcast`, `already-confirmed`, `fee-rate-not-higher`, `exceeds-max-fee`, `has-descendants`, `insufficient-change`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/not-broadcast" | "https://bitro.dev/problems/already-confirmed" | "https://bitro.dev/problems/fee-rate-not-higher" | "https://bitro.dev/problems/exceeds-max-fee" | "https://bitro.dev/problems/has-descendants" | "https://bitro.dev/problems/insufficient-change";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description The fee rate is not one the gateway accepts. Problem types: `invalid-fee-rate`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-fee-rate";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The Bitcoin service cannot answer right now; retry after Retry-After seconds. The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `gateway-unavailable`, `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/gateway-unavailable" | "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AdminWithdrawalsIdReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "The destination address is on a sanctions list."
                 *     }
                 */
                "application/json": {
                    /** @description Why; shown to the user and kept in the audit trail. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Rejected: nothing was sent, the hold is released. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "e8b2d4f6-1a3c-4e5b-8d7f-9a0c2e4b6d81",
                     *       "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *       "amountSats": "15000000",
                     *       "maxFeeSats": "6000",
                     *       "feeSats": null,
                     *       "status": "rejected",
                     *       "txid": null,
                     *       "createdAt": "2026-12-05T08:11:47.203Z",
                     *       "reviewedBy": "9a0c7e52-1b3d-4e8f-a6c2-7d5e4f3b2a10",
                     *       "reviewedAt": "2026-12-05T08:40:03.655Z",
                     *       "rejectionReason": "The destination address is on a sanctions list."
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        userId: string;
                        address: string;
                        amountSats: string;
                        /** @description Held with the amount: the most the network fee may be. */
                        maxFeeSats: string;
                        feeSats: string | null;
                        /**
                         * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                         * @enum {string}
                         */
                        status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                        txid: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description The admin who approved or rejected it. */
                        reviewedBy: string | null;
                        reviewedAt: string | null;
                        rejectionReason: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description No withdrawal has this id. Problem types: `withdrawal-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-found";
                    };
                };
            };
            /** @description The withdrawal is not awaiting approval (also when it was already decided), or it is your own request (another admin decides it). Problem types: `withdrawal-not-awaiting-approval`, `own-request`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-awaiting-approval" | "https://bitro.dev/problems/own-request";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1AdminWithdrawalsAwaitingApproval: {
        parameters: {
            query?: {
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of held withdrawals; `nextCursor` is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "e8b2d4f6-1a3c-4e5b-8d7f-9a0c2e4b6d81",
                     *           "userId": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *           "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *           "amountSats": "15000000",
                     *           "maxFeeSats": "6000",
                     *           "feeSats": null,
                     *           "status": "awaiting-approval",
                     *           "txid": null,
                     *           "createdAt": "2026-12-05T08:11:47.203Z",
                     *           "reviewedBy": null,
                     *           "reviewedAt": null,
                     *           "rejectionReason": null
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            userId: string;
                            address: string;
                            amountSats: string;
                            /** @description Held with the amount: the most the network fee may be. */
                            maxFeeSats: string;
                            feeSats: string | null;
                            /**
                             * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                             * @enum {string}
                             */
                            status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                            txid: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The admin who approved or rejected it. */
                            reviewedBy: string | null;
                            reviewedAt: string | null;
                            rejectionReason: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Not an admin, a frozen admin account, or an admin without a second factor. Problem types: `forbidden`, `account-not-active`, `two-factor-required`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/forbidden" | "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/two-factor-required";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AuthLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct horse battery"
                 *     }
                 */
                "application/json": {
                    /**
                     * Format: email
                     * @description E-mail address; compared case-insensitively.
                     */
                    email: string;
                    password: string;
                    /** @description With two-factor authentication on: the current 6-digit code of the authenticator app, or an unused recovery code. */
                    totp?: string;
                };
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokenType": "Bearer",
                     *       "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjZiMmMxZS04ZDRhLTRmN2ItOWMyZS01YTFkN2U5YjBjNDQiLCJyb2xlIjoidXNlciJ9.Jx3q2mS0bV7kqQ1c9gI8m0Zl4oQYk1v3yT6nR2wE5aU",
                     *       "expiresIn": 900,
                     *       "refreshToken": "O_y_F3WbxFnfgJ6EDUh8JVgiRe1HVVOtEmTWuJvjlfQ",
                     *       "user": {
                     *         "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *         "email": "ada@example.com",
                     *         "displayName": "Ada",
                     *         "role": "user",
                     *         "status": "active",
                     *         "emailVerified": true,
                     *         "twoFactorEnabled": false,
                     *         "createdAt": "2026-11-02T06:14:09.331Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        /** @description Seconds until the access token expires. */
                        expiresIn: number;
                        /** @description Opaque; single use: every refresh returns a new one. */
                        refreshToken: string;
                        /**
                         * @example {
                         *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                         *       "email": "ada@example.com",
                         *       "displayName": "Ada",
                         *       "role": "user",
                         *       "status": "active",
                         *       "emailVerified": true,
                         *       "twoFactorEnabled": false,
                         *       "createdAt": "2026-11-02T06:14:09.331Z"
                         *     }
                         */
                        user: {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            displayName: string;
                            /** @enum {string} */
                            role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "frozen";
                            emailVerified: boolean;
                            twoFactorEnabled: boolean;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Wrong e-mail or password (the same answer for both); or, with two-factor authentication on, a missing or wrong code (field `totp`). Problem types: `invalid-credentials`, `two-factor-required`, `invalid-two-factor-code`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-credentials" | "https://bitro.dev/problems/two-factor-required" | "https://bitro.dev/problems/invalid-two-factor-code";
                    };
                };
            };
            /** @description The account is frozen. Problem types: `account-frozen`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/account-frozen";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description Too many attempts (counted per IP, and per account until a success); see Retry-After. Problem types: `too-many-login-attempts`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/too-many-login-attempts";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refreshToken": "rt_9cQ2x7Lw0pZs4kYv1mNa8eHb"
                 *     }
                 */
                "application/json": {
                    /** @description The opaque refresh token from signup, login or the last refresh. */
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description Session ended (also when it was already over). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AuthRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refreshToken": "rt_9cQ2x7Lw0pZs4kYv1mNa8eHb"
                 *     }
                 */
                "application/json": {
                    /** @description The opaque refresh token from signup, login or the last refresh. */
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description New tokens; the refresh token sent is now used up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokenType": "Bearer",
                     *       "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjZiMmMxZS04ZDRhLTRmN2ItOWMyZS01YTFkN2U5YjBjNDQiLCJyb2xlIjoidXNlciJ9.Jx3q2mS0bV7kqQ1c9gI8m0Zl4oQYk1v3yT6nR2wE5aU",
                     *       "expiresIn": 900,
                     *       "refreshToken": "O_y_F3WbxFnfgJ6EDUh8JVgiRe1HVVOtEmTWuJvjlfQ",
                     *       "user": {
                     *         "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *         "email": "ada@example.com",
                     *         "displayName": "Ada",
                     *         "role": "user",
                     *         "status": "active",
                     *         "emailVerified": true,
                     *         "twoFactorEnabled": false,
                     *         "createdAt": "2026-11-02T06:14:09.331Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        tokenType: "Bearer";
                        accessToken: string;
                        /** @description Seconds until the access token expires. */
                        expiresIn: number;
                        /** @description Opaque; single use: every refresh returns a new one. */
                        refreshToken: string;
                        /**
                         * @example {
                         *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                         *       "email": "ada@example.com",
                         *       "displayName": "Ada",
                         *       "role": "user",
                         *       "status": "active",
                         *       "emailVerified": true,
                         *       "twoFactorEnabled": false,
                         *       "createdAt": "2026-11-02T06:14:09.331Z"
                         *     }
                         */
                        user: {
                            /** Format: uuid */
                            id: string;
                            /** Format: email */
                            email: string;
                            displayName: string;
                            /** @enum {string} */
                            role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "frozen";
                            emailVerified: boolean;
                            twoFactorEnabled: boolean;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Unknown, expired or revoked refresh token; reuse of a used one also revokes its whole session. Problem types: `invalid-refresh-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-refresh-token";
                    };
                };
            };
            /** @description The account is frozen. Problem types: `account-frozen`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/account-frozen";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1AuthSignup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct horse battery",
                 *       "displayName": "Ada"
                 *     }
                 */
                "application/json": {
                    /**
                     * Format: email
                     * @description E-mail address; compared case-insensitively.
                     */
                    email: string;
                    password: string;
                    displayName: string;
                };
            };
        };
        responses: {
            /** @description The same answer whether or not the e-mail already has an account (so signup tells nobody which addresses are registered): a new account gets a verification code by e-mail, the owner of an existing one a notice. Then sign in (POST /v1/auth/login). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "accepted",
                     *       "detail": "Check your e-mail: a new account gets a verification code, an existing one a notice."
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        status: "accepted";
                        detail: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description Too many signups from this address or for this e-mail; see Retry-After. Problem types: `too-many-signups`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/too-many-signups";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1BrandsBrandImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Brand code, e.g. `cultureland` */
                brand: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every upload with its variants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "8f2a6c0e-4b1d-4d3f-a7e9-1c5b3d7f9a24",
                     *           "brand": "cultureland",
                     *           "sourceType": "image/png",
                     *           "createdAt": "2026-11-30T02:17:55.608Z",
                     *           "variants": [
                     *             {
                     *               "url": "/images/cultureland/72a9c4cb6e20a59cb2f8daf0-64w.png",
                     *               "variant": "64w.png",
                     *               "width": 64,
                     *               "height": 40,
                     *               "contentType": "image/png",
                     *               "bytes": 3184,
                     *               "sha256": "72a9c4cb6e20a59cb2f8daf05d4a1f31a4b32960b9a416d277c8c7e0b1afeb3d"
                     *             },
                     *             {
                     *               "url": "/images/cultureland/01872b4cdc9c78decbe32e18-64w.webp",
                     *               "variant": "64w.webp",
                     *               "width": 64,
                     *               "height": 40,
                     *               "contentType": "image/webp",
                     *               "bytes": 1206,
                     *               "sha256": "01872b4cdc9c78decbe32e1853c1839adf8cffd4e3645c3e95c949aad20fa0c2"
                     *             },
                     *             {
                     *               "url": "/images/cultureland/4d0f6114db056f17560b6380-256w.png",
                     *               "variant": "256w.png",
                     *               "width": 256,
                     *               "height": 160,
                     *               "contentType": "image/png",
                     *               "bytes": 28311,
                     *               "sha256": "4d0f6114db056f17560b63806d9abffd292c1199d3c76f38437356211a5a69ec"
                     *             },
                     *             {
                     *               "url": "/images/cultureland/23f04751f42d80b250cda251-256w.webp",
                     *               "variant": "256w.webp",
                     *               "width": 256,
                     *               "height": 160,
                     *               "contentType": "image/webp",
                     *               "bytes": 7942,
                     *               "sha256": "23f04751f42d80b250cda251409e0f8742e2174534317657ed48de68a00206e0"
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            brand: string;
                            /** @description The uploaded file's type, detected from its content. */
                            sourceType: string;
                            /** Format: date-time */
                            createdAt: string;
                            variants: {
                                /** @description Served with `Cache-Control: public, max-age=31536000, immutable`: the name changes with the content. */
                                url: string;
                                /** @description Requested width and format, e.g. `256w.webp` */
                                variant: string;
                                width: number;
                                height: number;
                                /** @enum {string} */
                                contentType: "image/png" | "image/jpeg" | "image/webp";
                                bytes: number;
                                sha256: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1GiftcardsBrands: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalogue. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "code": "cultureland",
                     *           "name": "문화상품권",
                     *           "pinFormat": "4-4-4-6 or 4-4-4-4 digits",
                     *           "faceValuesKrw": [
                     *             "1000",
                     *             "5000",
                     *             "10000",
                     *             "30000",
                     *             "50000"
                     *           ],
                     *           "feeBps": 800,
                     *           "dailyLimitKrw": "500000"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** @description Use it as `brand` when redeeming. */
                            code: string;
                            name: string;
                            /** @description Dashes and spaces are ignored. */
                            pinFormat: string;
                            /** @description The face values accepted, KRW. */
                            faceValuesKrw: string[];
                            /** @description Fee in basis points of the face value (100 = 1 %). */
                            feeBps: number;
                            /** @description KRW of face value one user may redeem of this brand per day (Asia/Seoul). */
                            dailyLimitKrw: string;
                        }[];
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1GiftcardsRedemptions: {
        parameters: {
            query?: {
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of redemptions; `nextCursor` is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *           "brand": "cultureland",
                     *           "state": "verified",
                     *           "faceValueKrw": "50000",
                     *           "feeKrw": "4000",
                     *           "priceKrwPerBtc": "142350000",
                     *           "amountSats": "32314",
                     *           "quoteExpiresAt": "2026-12-04T11:21:30.912Z",
                     *           "rejectionReason": null,
                     *           "createdAt": "2026-12-04T11:20:30.912Z",
                     *           "updatedAt": "2026-12-04T11:20:31.540Z"
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            brand: string;
                            /**
                             * @description pending (being checked, or waiting for the issuer or the price feed) → verified (the card is used up; the wallet credit is on its way) → credited; or rejected (see rejectionReason). in-review: the card is used up and quoted, but over the daily review amount; an admin approves it (→ verified) or rejects it.
                             * @enum {string}
                             */
                            state: "pending" | "in-review" | "verified" | "credited" | "rejected";
                            faceValueKrw: string | null;
                            feeKrw: string | null;
                            priceKrwPerBtc: string | null;
                            /** @description What the wallet is credited: floor((face − fee) × 10^8 / price). */
                            amountSats: string | null;
                            quoteExpiresAt: string | null;
                            /** @description pin-invalid, pin-already-used, face-value-not-accepted, daily-limit-exceeded, amount-too-small or rejected-in-review. */
                            rejectionReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1GiftcardsRedemptions: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description 1-255 visible ASCII characters, new for each new request (a UUID, typically); a retry with the same key and body gets the first answer again.
                 * @example 5f0c6a5e-8d1b-4c55-9b8e-3f1a2d4c6b7e
                 */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "brand": "cultureland",
                 *       "pin": "4180-1234-5678-901234"
                 *     }
                 */
                "application/json": {
                    /** @description A brand code from GET /v1/giftcards/brands. */
                    brand: string;
                    /** @description The card's PIN; dashes and spaces are ignored. */
                    pin: string;
                };
            };
        };
        responses: {
            /** @description Accepted. A retry with the same `Idempotency-Key` and body gets this same answer. The state is verified when the card was used up and quoted, in-review when it was but waits for an admin (over the daily review amount), pending when the issuer or the price feed could not be reached (it is retried), or rejected. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *       "brand": "cultureland",
                     *       "state": "verified",
                     *       "faceValueKrw": "50000",
                     *       "feeKrw": "4000",
                     *       "priceKrwPerBtc": "142350000",
                     *       "amountSats": "32314",
                     *       "quoteExpiresAt": "2026-12-04T11:21:30.912Z",
                     *       "rejectionReason": null,
                     *       "createdAt": "2026-12-04T11:20:30.912Z",
                     *       "updatedAt": "2026-12-04T11:20:31.540Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        brand: string;
                        /**
                         * @description pending (being checked, or waiting for the issuer or the price feed) → verified (the card is used up; the wallet credit is on its way) → credited; or rejected (see rejectionReason). in-review: the card is used up and quoted, but over the daily review amount; an admin approves it (→ verified) or rejects it.
                         * @enum {string}
                         */
                        state: "pending" | "in-review" | "verified" | "credited" | "rejected";
                        faceValueKrw: string | null;
                        feeKrw: string | null;
                        priceKrwPerBtc: string | null;
                        /** @description What the wallet is credited: floor((face − fee) × 10^8 / price). */
                        amountSats: string | null;
                        quoteExpiresAt: string | null;
                        /** @description pin-invalid, pin-already-used, face-value-not-accepted, daily-limit-exceeded, amount-too-small or rejected-in-review. */
                        rejectionReason: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The account is frozen, or its e-mail address is not verified yet. Problem types: `account-not-active`, `email-not-verified`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/email-not-verified";
                    };
                };
            };
            /** @description This PIN was already redeemed, or a request with this Idempotency-Key is still being processed. Problem types: `pin-already-redeemed`, `idempotency-key-in-use`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/pin-already-redeemed" | "https://bitro.dev/problems/idempotency-key-in-use";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description The Idempotency-Key was used with another body, or the card would exceed the daily limit. Problem types: `idempotency-key-reused`, `daily-limit-exceeded`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/idempotency-key-reused" | "https://bitro.dev/problems/daily-limit-exceeded";
                    };
                };
            };
            /** @description The day's limit for this brand is used up; see Retry-After. Problem types: `daily-limit-reached`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/daily-limit-reached";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1GiftcardsRedemptionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The redemption. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *       "brand": "cultureland",
                     *       "state": "verified",
                     *       "faceValueKrw": "50000",
                     *       "feeKrw": "4000",
                     *       "priceKrwPerBtc": "142350000",
                     *       "amountSats": "32314",
                     *       "quoteExpiresAt": "2026-12-04T11:21:30.912Z",
                     *       "rejectionReason": null,
                     *       "createdAt": "2026-12-04T11:20:30.912Z",
                     *       "updatedAt": "2026-12-04T11:20:31.540Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        brand: string;
                        /**
                         * @description pending (being checked, or waiting for the issuer or the price feed) → verified (the card is used up; the wallet credit is on its way) → credited; or rejected (see rejectionReason). in-review: the card is used up and quoted, but over the daily review amount; an admin approves it (→ verified) or rejects it.
                         * @enum {string}
                         */
                        state: "pending" | "in-review" | "verified" | "credited" | "rejected";
                        faceValueKrw: string | null;
                        feeKrw: string | null;
                        priceKrwPerBtc: string | null;
                        /** @description What the wallet is credited: floor((face − fee) × 10^8 / price). */
                        amountSats: string | null;
                        quoteExpiresAt: string | null;
                        /** @description pin-invalid, pin-already-used, face-value-not-accepted, daily-limit-exceeded, amount-too-small or rejected-in-review. */
                        rejectionReason: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description No redemption of yours has this id. Problem types: `redemption-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/redemption-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1Me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "email": "ada@example.com",
                     *       "displayName": "Ada",
                     *       "role": "user",
                     *       "status": "active",
                     *       "emailVerified": true,
                     *       "twoFactorEnabled": false,
                     *       "createdAt": "2026-11-02T06:14:09.331Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: email */
                        email: string;
                        displayName: string;
                        /** @enum {string} */
                        role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "frozen";
                        emailVerified: boolean;
                        twoFactorEnabled: boolean;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The account no longer exists. Problem types: `user-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/user-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    patchV1Me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Ada L."
                 *     }
                 */
                "application/json": {
                    displayName?: string;
                    currentPassword?: string;
                    newPassword?: string;
                };
            };
        };
        responses: {
            /** @description The updated user. A password change ends every session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "email": "ada@example.com",
                     *       "displayName": "Ada",
                     *       "role": "user",
                     *       "status": "active",
                     *       "emailVerified": true,
                     *       "twoFactorEnabled": false,
                     *       "createdAt": "2026-11-02T06:14:09.331Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: email */
                        email: string;
                        displayName: string;
                        /** @enum {string} */
                        role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "frozen";
                        emailVerified: boolean;
                        twoFactorEnabled: boolean;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The current password is wrong. Problem types: `wrong-password`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/wrong-password";
                    };
                };
            };
            /** @description The account no longer exists. Problem types: `user-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/user-not-found";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description Too many wrong current passwords; see Retry-After. Problem types: `too-many-password-attempts`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/too-many-password-attempts";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1MeEmailVerification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "381204"
                 *     }
                 */
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Verified (also when it already was). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44",
                     *       "email": "ada@example.com",
                     *       "displayName": "Ada",
                     *       "role": "user",
                     *       "status": "active",
                     *       "emailVerified": true,
                     *       "twoFactorEnabled": false,
                     *       "createdAt": "2026-11-02T06:14:09.331Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: email */
                        email: string;
                        displayName: string;
                        /** @enum {string} */
                        role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "frozen";
                        emailVerified: boolean;
                        twoFactorEnabled: boolean;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description The code is wrong or expired. Problem types: `invalid-verification-code`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-verification-code";
                    };
                };
            };
            /** @description Too many codes tried; see Retry-After. Problem types: `too-many-verification-attempts`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/too-many-verification-attempts";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1MeEmailVerificationResend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A new code is on its way. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "expiresAt": "2026-11-02T06:29:09.331Z"
                     *     }
                     */
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description When the new code stops working.
                         */
                        expiresAt: string;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The address is already verified. Problem types: `email-already-verified`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/email-already-verified";
                    };
                };
            };
            /** @description Too many e-mails requested; see Retry-After. Problem types: `too-many-verification-emails`. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/too-many-verification-emails";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1MeTwoFactor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A new secret; in force once confirmed with a first code. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                     *       "otpauthUri": "otpauth://totp/Bitro:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bitro&algorithm=SHA1&digits=6&period=30"
                     *     }
                     */
                    "application/json": {
                        /** @description The shared secret, base32 (for typing it in). */
                        secret: string;
                        /** @description `otpauth://totp/...`: what an authenticator app reads, e.g. from a QR code. */
                        otpauthUri: string;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Two-factor authentication is already on. Problem types: `two-factor-already-enabled`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/two-factor-already-enabled";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1MeTwoFactorConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039"
                 *     }
                 */
                "application/json": {
                    /** @description A current 6-digit code of the authenticator app (removal: or an unused recovery code). */
                    code: string;
                };
            };
        };
        responses: {
            /** @description Two-factor authentication is on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "recoveryCodes": [
                     *         "bc02-0a47-e7bc-9bd2",
                     *         "e27c-12a1-2bcf-7d72",
                     *         "9311-7693-172f-e3d5",
                     *         "2eb6-7308-ce94-0bc3",
                     *         "dd6b-dcc9-0410-0fbd",
                     *         "b2bc-ca55-9183-9a23",
                     *         "d1f1-43cb-cd62-ebd8",
                     *         "8981-3457-b1fd-98e2",
                     *         "2a3a-5510-82dc-5d22",
                     *         "c796-cb19-02fb-1310"
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description One-time codes for when the authenticator is lost; shown only now. */
                        recoveryCodes: string[];
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The code is wrong or expired. Problem types: `invalid-two-factor-code`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-two-factor-code";
                    };
                };
            };
            /** @description Not started, or already on. Problem types: `two-factor-not-started`, `two-factor-already-enabled`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/two-factor-not-started" | "https://bitro.dev/problems/two-factor-already-enabled";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1MeTwoFactorRemove: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "492039"
                 *     }
                 */
                "application/json": {
                    /** @description A current 6-digit code of the authenticator app (removal: or an unused recovery code). */
                    code: string;
                };
            };
        };
        responses: {
            /** @description Off; the recovery codes are void. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The code is missing, wrong, expired or already used. Problem types: `two-factor-required`, `invalid-two-factor-code`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/two-factor-required" | "https://bitro.dev/problems/invalid-two-factor-code";
                    };
                };
            };
            /** @description Two-factor authentication is not on. Problem types: `two-factor-not-enabled`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/two-factor-not-enabled";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1Notifications: {
        parameters: {
            query?: {
                limit?: number;
                /** @description `nextCursor` of the previous page. */
                cursor?: string;
                /** @description true: only unread ones. */
                unread?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, the cursor of the next (null on the last page) and how many are unread in all. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "2a6e0c4f-8b3d-4f1a-9e5c-7b9d1f3a5c86",
                     *           "type": "withdrawal.confirmed",
                     *           "title": "Withdrawal confirmed",
                     *           "body": "Your withdrawal has 6 confirmations and is complete. Fee 0.00002820 BTC (tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16)",
                     *           "data": {
                     *             "withdrawalId": "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57",
                     *             "txid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *             "feeSats": "2820",
                     *             "confirmations": 6
                     *           },
                     *           "read": false,
                     *           "readAt": null,
                     *           "createdAt": "2026-12-03T16:05:42.381Z"
                     *         }
                     *       ],
                     *       "nextCursor": null,
                     *       "unreadCount": 1
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            type: "redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device";
                            title: string;
                            body: string;
                            /** @description The facts of the notification; amounts are satoshis as decimal strings. */
                            data: {
                                [key: string]: unknown;
                            };
                            read: boolean;
                            readAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                        unreadCount: number;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1NotificationsIdRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification, read (reading it again changes nothing). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "2a6e0c4f-8b3d-4f1a-9e5c-7b9d1f3a5c86",
                     *       "type": "withdrawal.confirmed",
                     *       "title": "Withdrawal confirmed",
                     *       "body": "Your withdrawal has 6 confirmations and is complete. Fee 0.00002820 BTC (tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16)",
                     *       "data": {
                     *         "withdrawalId": "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57",
                     *         "txid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *         "feeSats": "2820",
                     *         "confirmations": 6
                     *       },
                     *       "read": true,
                     *       "readAt": "2026-12-03T18:12:09.750Z",
                     *       "createdAt": "2026-12-03T16:05:42.381Z"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        type: "redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device";
                        title: string;
                        body: string;
                        /** @description The facts of the notification; amounts are satoshis as decimal strings. */
                        data: {
                            [key: string]: unknown;
                        };
                        read: boolean;
                        readAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description No notification of yours has this id. Problem types: `notification-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/notification-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1NotificationsPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The preferences. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "locale": "en",
                     *       "events": {
                     *         "redemption.credited": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "redemption.rejected": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "deposit.detected": {
                     *           "inApp": true,
                     *           "email": false,
                     *           "webhook": true
                     *         },
                     *         "deposit.confirmed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "deposit.reversed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.requested": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.broadcast": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.confirmed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.failed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.rejected": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "login.new-device": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /**
                         * @description The language of notifications (default ko).
                         * @enum {string}
                         */
                        locale: "ko" | "en";
                        /** @description Per notification type, which channels are on (all by default). */
                        events: {
                            "redemption.credited": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "redemption.rejected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.detected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.confirmed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.reversed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.requested": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.broadcast": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.confirmed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.failed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.rejected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "login.new-device": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                        };
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    putV1NotificationsPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "locale": "en",
                 *       "events": {
                 *         "deposit.detected": {
                 *           "email": false
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    locale?: "ko" | "en";
                    events?: {
                        "redemption.credited"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "redemption.rejected"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "deposit.detected"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "deposit.confirmed"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "deposit.reversed"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "withdrawal.requested"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "withdrawal.broadcast"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "withdrawal.confirmed"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "withdrawal.failed"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "withdrawal.rejected"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                        "login.new-device"?: {
                            inApp?: boolean;
                            email?: boolean;
                            webhook?: boolean;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The preferences after the change; what the body leaves out is unchanged. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "locale": "en",
                     *       "events": {
                     *         "redemption.credited": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "redemption.rejected": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "deposit.detected": {
                     *           "inApp": true,
                     *           "email": false,
                     *           "webhook": true
                     *         },
                     *         "deposit.confirmed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "deposit.reversed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.requested": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.broadcast": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.confirmed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.failed": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "withdrawal.rejected": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         },
                     *         "login.new-device": {
                     *           "inApp": true,
                     *           "email": true,
                     *           "webhook": true
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /**
                         * @description The language of notifications (default ko).
                         * @enum {string}
                         */
                        locale: "ko" | "en";
                        /** @description Per notification type, which channels are on (all by default). */
                        events: {
                            "redemption.credited": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "redemption.rejected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.detected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.confirmed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "deposit.reversed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.requested": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.broadcast": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.confirmed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.failed": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "withdrawal.rejected": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                            "login.new-device": {
                                inApp: boolean;
                                email: boolean;
                                webhook: boolean;
                            };
                        };
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1NotificationsReadAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many were unread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "updated": 3
                     *     }
                     */
                    "application/json": {
                        updated: number;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1NotificationsWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhooks (without their secrets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "6d0b4f8a-2c9e-4a3d-b7f1-5a9c3e7b1d68",
                     *           "url": "https://hooks.example.com/bitro",
                     *           "events": [
                     *             "redemption.credited",
                     *             "withdrawal.confirmed"
                     *           ],
                     *           "createdAt": "2026-11-20T03:44:10.025Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            url: string;
                            /** @description The notification types it receives; empty: all. */
                            events: ("redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device")[];
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1NotificationsWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://hooks.example.com/bitro",
                 *       "events": [
                 *         "redemption.credited",
                 *         "withdrawal.confirmed"
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @description http(s) URL receiving POSTs; in production not a private or loopback address. */
                    url: string;
                    /** @description Types to receive; absent or empty: all. */
                    events?: ("redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device")[];
                };
            };
        };
        responses: {
            /** @description Registered. `secret` is shown only now: each request carries `Bitro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under it, and `Bitro-Delivery-Id` (the same on retries). Failed deliveries are retried with exponential backoff. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "6d0b4f8a-2c9e-4a3d-b7f1-5a9c3e7b1d68",
                     *       "url": "https://hooks.example.com/bitro",
                     *       "events": [
                     *         "redemption.credited",
                     *         "withdrawal.confirmed"
                     *       ],
                     *       "createdAt": "2026-11-20T03:44:10.025Z",
                     *       "secret": "whsec_3IX-5UItNKi9Mi3dX2INgL3pG7Eu1ylY6uR6atSx3V8"
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        url: string;
                        /** @description The notification types it receives; empty: all. */
                        events: ("redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device")[];
                        /** Format: date-time */
                        createdAt: string;
                        secret: string;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description Not an http(s) URL (or a private address in production), or too many webhooks. Problem types: `invalid-webhook-url`, `too-many-webhooks`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/invalid-webhook-url" | "https://bitro.dev/problems/too-many-webhooks";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    deleteV1NotificationsWebhooksId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; its pending deliveries are given up. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description No webhook of yours has this id. Problem types: `webhook-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/webhook-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1NotificationsWebhooksIdDeliveries: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deliveries with every attempt (HTTP status, error, duration). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "b3e7a9c1-5d2f-4b8e-a0c6-8e2a4c6f0b35",
                     *           "notificationId": "2a6e0c4f-8b3d-4f1a-9e5c-7b9d1f3a5c86",
                     *           "type": "withdrawal.confirmed",
                     *           "status": "delivered",
                     *           "attempts": [
                     *             {
                     *               "attemptNo": 1,
                     *               "outcome": "failed",
                     *               "httpStatus": 502,
                     *               "error": "http-502",
                     *               "durationMs": 184,
                     *               "attemptedAt": "2026-12-03T16:05:43.102Z"
                     *             },
                     *             {
                     *               "attemptNo": 2,
                     *               "outcome": "delivered",
                     *               "httpStatus": 200,
                     *               "error": null,
                     *               "durationMs": 97,
                     *               "attemptedAt": "2026-12-03T16:06:13.410Z"
                     *             }
                     *           ],
                     *           "nextAttemptAt": null,
                     *           "deliveredAt": "2026-12-03T16:06:13.507Z",
                     *           "createdAt": "2026-12-03T16:05:42.381Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            notificationId: string;
                            /** @enum {string} */
                            type: "redemption.credited" | "redemption.rejected" | "deposit.detected" | "deposit.confirmed" | "deposit.reversed" | "withdrawal.requested" | "withdrawal.broadcast" | "withdrawal.confirmed" | "withdrawal.failed" | "withdrawal.rejected" | "login.new-device";
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failed";
                            attempts: {
                                attemptNo: number;
                                /** @enum {string} */
                                outcome: "delivered" | "failed";
                                httpStatus: number | null;
                                error: string | null;
                                durationMs: number;
                                /** Format: date-time */
                                attemptedAt: string;
                            }[];
                            nextAttemptAt: string | null;
                            deliveredAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description No webhook of yours has this id. Problem types: `webhook-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/webhook-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1WalletBalance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Available, held and total satoshis (decimal strings). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "availableSats": "1843200",
                     *       "heldSats": "255000",
                     *       "totalSats": "2098200",
                     *       "krw": {
                     *         "priceKrwPerBtc": "142350000",
                     *         "availableKrw": "2623795",
                     *         "totalKrw": "2986787",
                     *         "asOf": "2026-12-05T09:30:12.000Z",
                     *         "source": "https://api.upbit.com/v1/ticker?markets=KRW-BTC"
                     *       }
                     *     }
                     */
                    "application/json": {
                        availableSats: string;
                        heldSats: string;
                        totalSats: string;
                        /** @description Estimate at the current price (rounded down); null when no price is available. */
                        krw: {
                            priceKrwPerBtc: string;
                            availableKrw: string;
                            totalKrw: string;
                            /** Format: date-time */
                            asOf: string;
                            source: string;
                        } | null;
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1WalletDepositAddress: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The same address until it receives a payment; a new one after that. Payments are credited once confirmed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "address": "bcrt1q33s6m8f0lkcpdt03rdnrdnaelsdpm3wjt4qtqv",
                     *       "type": "p2wpkh",
                     *       "network": "regtest"
                     *     }
                     */
                    "application/json": {
                        address: string;
                        /** @enum {string} */
                        type: "p2pkh" | "p2sh" | "p2wpkh" | "p2wsh" | "p2tr" | "witness_unknown";
                        /** @enum {string} */
                        network: "main" | "test" | "testnet4" | "signet" | "regtest";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description Verify the e-mail address first, or the account is frozen. Problem types: `email-not-verified`, `account-not-active`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/email-not-verified" | "https://bitro.dev/problems/account-not-active";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The Bitcoin service cannot answer right now; retry after Retry-After seconds. The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `gateway-unavailable`, `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/gateway-unavailable" | "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1WalletDeposits: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deposits and the cursor of the next. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "7e3b9a1c-2d4f-4b6a-8c0e-5f1a3d7b9e20",
                     *           "txid": "a1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d",
                     *           "vout": 1,
                     *           "address": "bcrt1q33s6m8f0lkcpdt03rdnrdnaelsdpm3wjt4qtqv",
                     *           "amountSats": "1500000",
                     *           "status": "confirmed",
                     *           "confirmations": 6,
                     *           "blockHeight": 1204,
                     *           "detectedAt": "2026-12-01T08:45:02.117Z",
                     *           "confirmedAt": "2026-12-01T09:38:40.530Z",
                     *           "reversedAt": null
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            txid: string;
                            vout: number;
                            address: string;
                            amountSats: string;
                            /**
                             * @description detected (seen, not credited yet) → confirmed (credited); reversed when it left the chain (its credit taken back).
                             * @enum {string}
                             */
                            status: "detected" | "confirmed" | "reversed";
                            confirmations: number;
                            blockHeight: number | null;
                            /** Format: date-time */
                            detectedAt: string;
                            confirmedAt: string | null;
                            reversedAt: string | null;
                        }[];
                        /** @description Pass as `cursor` for the next (older) page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1WalletTransactions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                kind?: "credit" | "debit" | "hold" | "release" | "settle" | "deposit" | "deposit_reversal";
                /** @description Only entries at or after this instant. */
                from?: string;
                /** @description Only entries before this instant. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of entries and the cursor of the next. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "journalId": "1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42",
                     *           "reference": "redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f",
                     *           "kind": "credit",
                     *           "description": "cultureland gift card redemption",
                     *           "availableDeltaSats": "32314",
                     *           "heldDeltaSats": "0",
                     *           "createdAt": "2026-12-04T11:20:31.874Z"
                     *         }
                     *       ],
                     *       "nextCursor": "WyIyMDI2LTEyLTA0VDExOjIwOjMxLjg3NFoiLCIxYjdkM2Y1YS05YzJlLTRkNmItYThmMC0zZTVjN2E5YjFkNDIiXQ"
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            journalId: string;
                            reference: string;
                            /** @enum {string} */
                            kind: "credit" | "debit" | "hold" | "release" | "settle" | "deposit" | "deposit_reversal";
                            description: string;
                            availableDeltaSats: string;
                            heldDeltaSats: string;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        /** @description Pass as `cursor` for the next (older) page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1WalletWithdrawals: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of withdrawals and the cursor of the next. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57",
                     *           "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *           "amountSats": "250000",
                     *           "maxFeeSats": "5000",
                     *           "feeSats": "2820",
                     *           "status": "broadcast",
                     *           "txid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *           "vout": 0,
                     *           "failureReason": null,
                     *           "rejectionReason": null,
                     *           "createdAt": "2026-12-03T15:02:11.406Z",
                     *           "broadcastAt": "2026-12-03T15:02:14.982Z",
                     *           "confirmedAt": null,
                     *           "failedAt": null,
                     *           "rejectedAt": null
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            address: string;
                            amountSats: string;
                            /** @description The most the network fee may be; held with the amount until the withdrawal is mined. */
                            maxFeeSats: string;
                            /** @description The fee of the broadcast transaction; null before. */
                            feeSats: string | null;
                            /**
                             * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                             * @enum {string}
                             */
                            status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                            txid: string | null;
                            vout: number | null;
                            failureReason: string | null;
                            /** @description Why an admin rejected it; null unless rejected. */
                            rejectionReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            broadcastAt: string | null;
                            confirmedAt: string | null;
                            failedAt: string | null;
                            rejectedAt: string | null;
                        }[];
                        /** @description Pass as `cursor` for the next (older) page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    postV1WalletWithdrawals: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description 1-255 visible ASCII characters, new for each new request (a UUID, typically); a retry with the same key and body gets the first answer again.
                 * @example 5f0c6a5e-8d1b-4c55-9b8e-3f1a2d4c6b7e
                 */
                "Idempotency-Key": string;
                /**
                 * @description With two-factor authentication on: a current code of the authenticator app (each code works once; not needed for a retry that gets the first answer again).
                 * @example 492039
                 */
                "TOTP-Code"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                 *       "amountSats": "250000",
                 *       "maxFeeSats": "5000"
                 *     }
                 */
                "application/json": {
                    /** @description A bitcoin address of the network Bitro runs on. */
                    address: string;
                    /** @description Satoshis the address receives (a decimal string). */
                    amountSats: string;
                    /** @description The most you agree to pay in network fees (a decimal string); at least the current estimate. Default: twice the current estimate (WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT). */
                    maxFeeSats?: string;
                };
            };
        };
        responses: {
            /** @description Accepted: amount + maxFee are held and the withdrawal is on its way (`requested`), or, above the approval threshold, waits for an admin (`awaiting-approval`); at confirmation the actual fee is charged and the rest released, a rejection releases it all. A retry with the same `Idempotency-Key` and body gets the first answer again (this 202 and body, or its 403/422 problem), with `Idempotent-Replayed: true`; a 409, 429 or 5xx is not kept, so its retry runs again. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57",
                     *       "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *       "amountSats": "250000",
                     *       "maxFeeSats": "5000",
                     *       "feeSats": "2820",
                     *       "status": "broadcast",
                     *       "txid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *       "vout": 0,
                     *       "failureReason": null,
                     *       "rejectionReason": null,
                     *       "createdAt": "2026-12-03T15:02:11.406Z",
                     *       "broadcastAt": "2026-12-03T15:02:14.982Z",
                     *       "confirmedAt": null,
                     *       "failedAt": null,
                     *       "rejectedAt": null
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        address: string;
                        amountSats: string;
                        /** @description The most the network fee may be; held with the amount until the withdrawal is mined. */
                        maxFeeSats: string;
                        /** @description The fee of the broadcast transaction; null before. */
                        feeSats: string | null;
                        /**
                         * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                         * @enum {string}
                         */
                        status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                        txid: string | null;
                        vout: number | null;
                        failureReason: string | null;
                        /** @description Why an admin rejected it; null unless rejected. */
                        rejectionReason: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        broadcastAt: string | null;
                        confirmedAt: string | null;
                        failedAt: string | null;
                        rejectedAt: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). The body is not well-formed JSON. Problem types: `validation`, `malformed-request`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation" | "https://bitro.dev/problems/malformed-request";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description The account is frozen; or its e-mail address is not verified yet; or, with two-factor authentication on, the `TOTP-Code` header is missing or its code wrong or used. Problem types: `account-not-active`, `email-not-verified`, `two-factor-required`, `invalid-two-factor-code`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/account-not-active" | "https://bitro.dev/problems/email-not-verified" | "https://bitro.dev/problems/two-factor-required" | "https://bitro.dev/problems/invalid-two-factor-code";
                    };
                };
            };
            /** @description A request with this Idempotency-Key is still being processed; retry after Retry-After. Problem types: `idempotency-key-in-use`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/idempotency-key-in-use";
                    };
                };
            };
            /** @description The body is larger than the server accepts. Problem types: `body-too-large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/body-too-large";
                    };
                };
            };
            /** @description The body is not `application/json`. Problem types: `unsupported-media-type`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unsupported-media-type";
                    };
                };
            };
            /** @description Below the minimum, over 21 million BTC with the fee, an invalid address, a maxFeeSats below the estimate, insufficient funds, over the daily limit, or an Idempotency-Key used with another body. Problem types: `amount-too-small`, `amount-too-large`, `invalid-address`, `max-fee-too-low`, `insufficient-funds`, `daily-limit-exceeded`, `idempotency-key-reused`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/amount-too-small" | "https://bitro.dev/problems/amount-too-large" | "https://bitro.dev/problems/invalid-address" | "https://bitro.dev/problems/max-fee-too-low" | "https://bitro.dev/problems/insufficient-funds" | "https://bitro.dev/problems/daily-limit-exceeded" | "https://bitro.dev/problems/idempotency-key-reused";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The Bitcoin service cannot answer right now; retry after Retry-After seconds. Or no network fee estimate is available. The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `gateway-unavailable`, `fee-estimate-unavailable`, `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/gateway-unavailable" | "https://bitro.dev/problems/fee-estimate-unavailable" | "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
    getV1WalletWithdrawalsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The withdrawal. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57",
                     *       "address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
                     *       "amountSats": "250000",
                     *       "maxFeeSats": "5000",
                     *       "feeSats": "2820",
                     *       "status": "broadcast",
                     *       "txid": "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
                     *       "vout": 0,
                     *       "failureReason": null,
                     *       "rejectionReason": null,
                     *       "createdAt": "2026-12-03T15:02:11.406Z",
                     *       "broadcastAt": "2026-12-03T15:02:14.982Z",
                     *       "confirmedAt": null,
                     *       "failedAt": null,
                     *       "rejectedAt": null
                     *     }
                     */
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        address: string;
                        amountSats: string;
                        /** @description The most the network fee may be; held with the amount until the withdrawal is mined. */
                        maxFeeSats: string;
                        /** @description The fee of the broadcast transaction; null before. */
                        feeSats: string | null;
                        /**
                         * @description awaiting-approval (above the approval threshold: held, waiting for an admin) → requested → broadcast (txid known; a fee bump may replace it) → confirmed; or failed (see failureReason) / rejected by an admin (see rejectionReason): nothing was sent, the hold returned.
                         * @enum {string}
                         */
                        status: "awaiting-approval" | "requested" | "broadcast" | "confirmed" | "failed" | "rejected";
                        txid: string | null;
                        vout: number | null;
                        failureReason: string | null;
                        /** @description Why an admin rejected it; null unless rejected. */
                        rejectionReason: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        broadcastAt: string | null;
                        confirmedAt: string | null;
                        failedAt: string | null;
                        rejectedAt: string | null;
                    };
                };
            };
            /** @description The request is invalid; `errors` names each field at fault (`in`: path, query, header or body). Problem types: `validation`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/validation";
                    };
                };
            };
            /** @description Missing, invalid or expired access token. Problem types: `unauthenticated`, `invalid-token`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/unauthenticated" | "https://bitro.dev/problems/invalid-token";
                    };
                };
            };
            /** @description No withdrawal of yours has this id. Problem types: `withdrawal-not-found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/withdrawal-not-found";
                    };
                };
            };
            /** @description An unexpected error; quote the `requestId` when reporting it. Problem types: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/internal";
                    };
                };
            };
            /** @description The database or Redis cannot be reached; nothing was lost, retry after Retry-After. Problem types: `dependency-unavailable`. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        type?: "https://bitro.dev/problems/dependency-unavailable";
                    };
                };
            };
        };
    };
}
