package dev.switchboard.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.platform.Problem;
import dev.switchboard.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Places orders: stock is checked, taken and the order stored in one transaction, or nothing happens. */
@ApplicationScoped
public class OrderService {

    private final OrderRepository orders;

    OrderService(OrderRepository orders) {
        this.orders = orders;
    }

    /** Places the order inside {@code tx}, which the caller opens and commits (with its idempotency key, if any). */
    public Uni<Order> place(SqlConnection tx, OrderInput input) {
        // The same product twice in one order counts once, with the quantities added.
        Map<Long, Integer> wanted = input.items().stream()
                .collect(Collectors.toMap(OrderInput.Item::productId, OrderInput.Item::quantity, Integer::sum, TreeMap::new));
        Long[] productIds = wanted.keySet().toArray(Long[]::new);
        return orders.lockUser(tx, input.userId())
                .flatMap(exists -> {
                    if (!exists) {
                        throw ProblemException.notFound("user", input.userId());
                    }
                    return orders.lockStock(tx, productIds);
                })
                .flatMap(stock -> {
                    List<Order.Line> lines = linesOrFail(wanted, stock);
                    Integer[] quantities = lines.stream().map(Order.Line::quantity).toArray(Integer[]::new);
                    return orders.takeStock(tx, productIds, quantities)
                            .flatMap(done -> orders.insert(tx, input.userId(), lines));
                });
    }

    private static List<Order.Line> linesOrFail(Map<Long, Integer> wanted, List<OrderRepository.StockRow> stock) {
        Map<Long, OrderRepository.StockRow> byId = stock.stream()
                .collect(Collectors.toMap(OrderRepository.StockRow::productId, Function.identity()));
        List<Long> missing = wanted.keySet().stream().filter(id -> !byId.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw new ProblemException(Problem.of(404, "Not Found", "product " + missing.get(0) + " does not exist")
                    .with("missingProductIds", missing));
        }
        List<Map<String, Object>> shortages = wanted.entrySet().stream()
                .filter(e -> byId.get(e.getKey()).stock() < e.getValue())
                .map(e -> Map.<String, Object>of("productId", e.getKey(), "requested", e.getValue(),
                        "available", byId.get(e.getKey()).stock()))
                .toList();
        if (!shortages.isEmpty()) {
            Map<String, Object> first = shortages.get(0);
            throw new ProblemException(Problem.of(409, "Conflict", "Insufficient stock for product "
                    + first.get("productId") + ": requested " + first.get("requested") + ", available "
                    + first.get("available")).with("shortages", shortages));
        }
        return wanted.entrySet().stream()
                .map(e -> new Order.Line(e.getKey(), e.getValue(), byId.get(e.getKey()).priceCents()))
                .toList();
    }
}
